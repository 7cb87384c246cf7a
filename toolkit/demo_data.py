"""Entry point named in the task list: the demo-data functions live in `toolkit.demo`."""
from toolkit.demo import write_demo_clients, write_large_client, write_portfolio

__all__ = ["write_demo_clients", "write_portfolio", "write_large_client"]
