"""One step of the build in a forked child process, beside the steps the build process goes on with.

The bag, search index and open data need only the checked records; the page plan, MkDocs and the
record pages need only the plan. On a machine with two cores the build process alone leaves one
idle while it plans pages (one process) and a one-record rebuild spends seconds in each: a fork
runs the site files beside them without copying the records anywhere (the child sees the parent's
memory as it was), and sends back only what the build needs afterwards (pickled through a pipe).

The child never returns into the build's own code: whatever happens, it writes its answer (or its
exception) and leaves with ``os._exit``, so no ``finally`` block of the parent (staging folders,
locks) runs twice. A child that dies without answering (killed, out of memory) is reported as such.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import multiprocessing.context
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

from sillok.errors import ProblemsFound

T = TypeVar("T")


class ChildDied(ProblemsFound):
    """The child process ended without an answer (killed, out of memory): the build stops with this message."""


PARENT_ENV = "SILLOK_BUILD_PID"
"""Set for a child process the build starts by command line (MkDocs): the build's pid, for :func:`die_with_parent`."""
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Have the kernel kill this process (SIGKILL) as soon as its parent dies; Linux only, elsewhere nothing.

    A build killed outright (the out-of-memory killer, a CI timeout, ``kill -9``) runs no clean-up, and its
    children would run on: MkDocs, the site-files process and the workers could go on writing into the
    build's staging folder while the next build's sweep deletes it (a swept folder was once seen in CI to
    outlive the sweep; that this was the cause is not proven). Called first thing in each such child. ``parent``: the pid the child was started by (default: its
    parent now); when that process is already gone, the child leaves at once.
    """
    expected = os.getppid() if parent is None else parent
    if not sys.platform.startswith("linux"):
        return
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != expected:  # the parent died before the kernel was asked to watch it
        os._exit(1)


class Forked(Generic[T]):
    """``function(*args)`` running in a child process; :meth:`result` waits for it, :meth:`kill` stops it."""

    def __init__(self, function: Callable[..., T], *args: object):
        sys.stdout.flush()  # buffered output would be written twice, once by each process
        sys.stderr.flush()
        gc.freeze()  # the child's collector then skips the objects it inherits: their pages stay shared
        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child
            die_with_parent(parent)
            os.close(read)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # kill() ends it at once, not through the build's handler
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
            code = 0
            try:
                try:
                    answer = (True, function(*args))
                except BaseException as exc:
                    answer = (False, exc)
                try:
                    data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception as exc:
                    data = pickle.dumps((False, ChildDied(f"{type(exc).__name__}: {exc}")))
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                sys.stdout.flush()
                sys.stderr.flush()
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write)
        self.pid: int | None = pid
        self._read = read

    def result(self) -> T:
        """Wait for the child; its return value, or its exception raised here."""
        with os.fdopen(self._read, "rb") as pipe:
            data = pipe.read()  # read to the end before waiting: a full pipe would block the child
        status = self._reap()
        if not data:
            how = f"signal {-status}" if status < 0 else f"exit {status}"
            raise ChildDied(f"the process making the site files ended without an answer ({how})")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value

    def kill(self) -> None:
        """Stop the child if it still runs (the build failed elsewhere)."""
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        self._reap()
        with contextlib.suppress(OSError):
            os.close(self._read)

    def _reap(self) -> int:
        if self.pid is None:
            return 0
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        return os.waitstatus_to_exitcode(status)


def clean_context(preload: str) -> multiprocessing.context.BaseContext | None:
    """A pool context whose workers start clean: forked from a small server process (``forkserver``),
    not from the build.

    A worker forked from the build shares the build's memory until it writes to it, and it writes to
    much of it: its new objects go into free space in the build's heap, which grew with the archive
    (the records, the plan), and reading an inherited object changes its reference count. At 100,000
    records each such worker held 300–470 MB of its own. A worker from the server holds the modules,
    what its initializer is given and the chunk it works on. The server imports the module ``preload``
    once, so a worker starts in milliseconds. None (the default context) where there is no forkserver.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([preload])
    return context


class Later(Generic[T]):
    """``function(*args)`` run in this process when :meth:`result` is asked for: what :class:`Forked` does,
    one step after the other instead of side by side.

    A fork shares the build's memory only until one of them writes to it, and reading a record writes
    its reference count: a child that reads every record ends up with its own copy of them. Beside the
    record pages, at 100,000 records, that made two processes of about 750 and 990 MB. Run after the
    pages, in the build process, the site files add their working memory to one copy of the records.
    """

    def __init__(self, function: Callable[..., T], *args: object):
        self._call: tuple[Callable[..., T], tuple] | None = (function, args)

    def result(self) -> T:
        if self._call is None:
            raise RuntimeError("the result was asked for twice")
        function, args = self._call
        self._call = None  # the arguments are let go of as soon as they are used
        return function(*args)

    def kill(self) -> None:
        self._call = None
