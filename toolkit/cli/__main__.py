"""``python -m toolkit.cli``: the ``alignment`` command without its console script."""
import sys

from toolkit.cli import main

sys.exit(main())
