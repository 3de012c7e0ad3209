"""`python -m netbook` is the `netbook` command."""

import sys

from .cli import main

sys.exit(main())
