"""Shipped data: this folder is the package ``toolkit.templates`` (see toolkit/run/resources.py)."""
