"""``python -m storytrace.cli``: the same as the ``storytrace`` command."""

import sys

from . import main

sys.exit(main())
