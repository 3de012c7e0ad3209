"""Run `netbook ARGS…` and print this process's own peak memory to stderr at the end.

The peak is the kernel's VmHWM for this program's own memory: `ru_maxrss` counts the
parent's pages too when the parent was bigger at the fork (the bench's own process holds
the window and a 150 MB export by then, and an import "peaked" at 800 MB that way).
"""

import resource
import sys

from netbook.cli import main


def peak_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


try:
    code = main(sys.argv[1:])
finally:
    print(f"peak_rss_mb={peak_mb():.1f}", file=sys.stderr)
sys.exit(code)
