"""The PySide6 window. It calls core services only and holds no SQL."""
