"""Shared pytest fixtures of the home area (registered in conftest.py)."""
