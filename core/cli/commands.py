"""The command modules, in the order their commands are listed in --help."""
from core.cli import admin, data, documents, exchange, settings

MODULES = [data, documents, exchange, settings, admin]
