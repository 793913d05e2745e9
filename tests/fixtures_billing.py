"""Shared pytest fixtures of the billing area (registered in conftest.py)."""
