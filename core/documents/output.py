"""Kept for branches written before :mod:`core.files`: the same one helper, by its old name.

New code imports :func:`core.files.atomic_path`.
"""
from core.files import atomic_path as atomic_output

__all__ = ["atomic_output"]
