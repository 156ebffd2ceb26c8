"""``python -m w2vfast``: the ``w2vfast`` command line (see :mod:`w2vfast.cli`)."""

import sys

from .cli import main

sys.exit(main())
