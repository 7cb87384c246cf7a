"""Operational Alignment Toolkit: score how far operations carry out strategy."""
__version__ = "0.1.0"
