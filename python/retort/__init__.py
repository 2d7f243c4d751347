"""Retort's Python distribution (``retort-flask``) only ships the ``retort``
binary; this package locates it so ``python -m retort`` works."""

from retort._find_retort import find_retort_bin

__all__ = ["find_retort_bin"]
