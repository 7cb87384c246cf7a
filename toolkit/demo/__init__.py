"""Synthetic clients: the shipped demo set, a portfolio for batch runs, and one very large client."""
from toolkit.demo.many_clients import write_large_client, write_portfolio
from toolkit.demo.stories import write_demo_clients

__all__ = ["write_demo_clients", "write_portfolio", "write_large_client"]
