"""Shared pytest fixtures of the ops area (registered in conftest.py)."""
