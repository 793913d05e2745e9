"""Shared pytest fixtures of the accounts area (registered in conftest.py)."""
