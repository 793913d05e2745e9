"""Shared pytest fixtures of the halls area (registered in conftest.py)."""
