"""Shared pytest fixtures of the documents area (registered in conftest.py)."""
