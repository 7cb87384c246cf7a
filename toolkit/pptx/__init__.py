"""The assessment deck as an editable PowerPoint file on the firm's brand template.

``build_pptx(story, out, template=None)`` is the one call; python-pptx is
imported on first use, so importing this package stays cheap.
"""
from __future__ import annotations

from typing import Any

__all__ = ["build_pptx", "plan"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from toolkit.pptx import build

        return getattr(build, name)
    raise AttributeError(f"module 'toolkit.pptx' has no attribute {name!r}")
