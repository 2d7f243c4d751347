"""``python -m retort ARGS`` runs the bundled ``retort`` binary with ARGS."""

from __future__ import annotations

import os
import sys

from retort._find_retort import find_retort_bin


def main() -> None:
    binary = find_retort_bin()
    if sys.platform == "win32":
        # Windows has no exec: run the binary as a child and pass its exit code on.
        import subprocess

        sys.exit(subprocess.run([binary, *sys.argv[1:]]).returncode)
    os.execv(binary, [binary, *sys.argv[1:]])


if __name__ == "__main__":
    main()
