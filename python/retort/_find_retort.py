"""Where pip put the ``retort`` executable of this distribution.

The wheel installs the binary as a script of the environment that installed
it (``bin/`` or ``Scripts\\``); which one depends on how it was installed:
into a virtualenv or the system (the environment's scheme), with ``--user``
(the user scheme) or with ``--target DIR`` (a ``bin`` folder beside the
package).
"""

from __future__ import annotations

import os
import sys
import sysconfig


def _executable_name() -> str:
    return "retort" + (sysconfig.get_config_var("EXE") or "")


def _candidate_dirs() -> list[str]:
    dirs = [sysconfig.get_path("scripts")]
    # `pip install --user`: the user scheme of this platform.
    if sys.version_info >= (3, 10):
        user_scheme = sysconfig.get_preferred_scheme("user")
    elif os.name == "nt":
        user_scheme = "nt_user"
    elif sys.platform == "darwin" and getattr(sys, "_framework", None):
        user_scheme = "osx_framework_user"
    else:
        user_scheme = "posix_user"
    dirs.append(sysconfig.get_path("scripts", scheme=user_scheme))
    # `pip install --target DIR`: DIR/retort/ (this package) and DIR/bin/.
    dirs.append(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin"))
    return dirs


def find_retort_bin() -> str:
    """The path of the installed ``retort`` binary; ``FileNotFoundError`` if
    the wheel's binary is missing (a broken or partial install)."""
    name = _executable_name()
    tried = []
    for directory in _candidate_dirs():
        if not directory:
            continue
        path = os.path.join(directory, name)
        tried.append(path)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError("the retort binary was not found; looked in: " + ", ".join(tried))
