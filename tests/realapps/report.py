#!/usr/bin/env python3
"""Print the real-applications table and the miss lists, without pytest.

    RETORT_BIN=target/release/retort python3 tests/realapps/report.py [APP ...] [--limit N]

Sets up missing apps first (see setup.sh), runs `retort scan --format json`
on each app's sources, compares with the runtime url_map and writes
.cache/realapps/report.json. Exit status: 0 ok, 1 an app could not be
evaluated, 2 RETORT_BIN unusable.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from realapps import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["report", *sys.argv[1:]]))
