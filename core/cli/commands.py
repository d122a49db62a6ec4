"""The command modules, in the order their commands are listed in --help."""
from core.cli import admin, data, documents, exchange, persons, settings

MODULES = [data, persons, documents, exchange, settings, admin]
