"""The command modules, in the order their commands are listed in --help."""
<<<<<<< HEAD
from core.cli import data, documents, exchange, settings

MODULES = [data, documents, exchange, settings]
=======
from core.cli import admin, data, documents, settings

MODULES = [data, documents, settings, admin]
>>>>>>> main
