"""Start an ipykernel that dies with the process that started it (``python -m toolkit.run.kernel_launch -f ...``).

What ``python -m ipykernel_launcher`` does, after `toolkit.run.processes.die_with_parent`:
jupyter_client sets ``JPY_PARENT_PID`` to the starting process, so a kernel
whose parent has already gone exits before it runs any code.
"""
from __future__ import annotations

import os
import sys


def main() -> None:
    """Die with the parent, then run ipykernel's launcher with this process's arguments."""
    from toolkit.run.processes import die_with_parent

    parent = os.environ.get("JPY_PARENT_PID", "")
    die_with_parent(parent=int(parent) if parent.isdigit() else None)
    if sys.path and sys.path[0] == "":  # as ipykernel_launcher: not the caller's working directory
        del sys.path[0]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
