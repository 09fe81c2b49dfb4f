"""Run the `desta` command as `python -m desta_tui`."""

import sys

from desta_tui.cli import main

sys.exit(main())
