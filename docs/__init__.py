"""Shipped data: this folder is the package ``toolkit.docs`` (see toolkit/run/resources.py)."""
