"""Shipped data: this folder is the package ``toolkit.notebooks`` (see toolkit/run/resources.py)."""
