"""The command modules, in the order their commands are listed in --help."""
from core.cli import admin, data, documents, settings

MODULES = [data, documents, settings, admin]
