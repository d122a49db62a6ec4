"""The command modules, in the order their commands are listed in --help."""
from core.cli import data, documents, settings

MODULES = [data, documents, settings]
