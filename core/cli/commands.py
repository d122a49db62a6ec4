"""The command modules, in the order their commands are listed in --help."""
from core.cli import admin, data, documents, exchange, intake, persons, recycle, settings

MODULES = [data, persons, recycle, intake, documents, exchange, settings, admin]
