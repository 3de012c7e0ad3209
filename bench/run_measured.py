"""Run `netbook ARGS…` and print this process's own peak memory to stderr at the end."""

import resource
import sys

from netbook.cli import main

try:
    code = main(sys.argv[1:])
finally:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss_mb={peak:.1f}", file=sys.stderr)
sys.exit(code)
