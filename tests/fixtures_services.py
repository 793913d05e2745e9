"""Shared pytest fixtures of the services area (registered in conftest.py)."""
