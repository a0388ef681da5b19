"""Staging folders that never outlive a build, even a killed one.

A build writes the whole site into a hidden sibling folder (``.site-<pid>-<random>``) and swaps it
into place at the end. Such a folder can hold text a redaction has since removed, so it must not
linger: it is removed when the build ends in any way Python sees (success, error, Ctrl-C,
SIGTERM and SIGHUP, which are turned into ``SystemExit`` for the duration), and a build that was
killed outright (SIGKILL, power loss) leaves one that the next build removes, once the process
named in it is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from sillok.site.output.remove import remove_tree

PREFIX = ".site-"
_OWNED = re.compile(r"\.site-(?:old-)?(?P<pid>[0-9]+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(parent: Path) -> list[Path]:
    """Remove staging folders in ``parent`` left by builds whose process is gone; the folders removed."""
    removed = []
    for entry in parent.glob(PREFIX + "*"):
        match = _OWNED.match(entry.name)
        if match and entry.is_dir() and not entry.is_symlink() and not _alive(int(match["pid"])):
            remove_tree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def staging_folder(parent: Path) -> Iterator[Path]:
    """A fresh staging folder in ``parent``, removed when the block ends, however it ends."""
    sweep(parent)
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=parent))
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            previous[signum] = signal.signal(signum, _exit_on_signal)
    try:
        yield folder
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if folder.exists():
            remove_tree(folder, ignore_errors=True)
