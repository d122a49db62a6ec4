"""The command modules, in the order their commands are listed in --help."""
from core.cli import admin, data

MODULES = [data, admin]
