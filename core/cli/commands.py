"""The command modules, in the order their commands are listed in --help."""
from core.cli import admin, data, documents, exchange, intake, persons, settings

MODULES = [data, persons, intake, documents, exchange, settings, admin]
