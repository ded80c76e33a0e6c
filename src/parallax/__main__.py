"""``python -m parallax``: the same command as ``parallax``."""
import sys

from parallax.cli import main

sys.exit(main())
