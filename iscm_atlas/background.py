"""Work done in a forked child while this process goes on: the machines the atlas builds on have two cores.

`Background(fn, *args)` forks a child that computes `fn(*args)` and sends the result back through a pipe;
`.result()` waits for it. Where fork is not available (not Linux), where there is one core, or if the child
fails for any reason (it raises, exits, or its result cannot be sent), the result is computed in this
process instead: work in the background can cost time, never a result. The child inherits `fn` and its
arguments by fork; only the result is pickled, so it should be plain values.
"""
from __future__ import annotations

import multiprocessing
import os
import weakref
from collections.abc import Callable


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return cores() > 1 and "fork" in multiprocessing.get_all_start_methods()


def _run(send, fn: Callable, args: tuple) -> None:
    try:
        send.send(fn(*args))
    except Exception:  # nothing sent: the parent computes it, and any error shows there, in the parent
        pass
    finally:
        send.close()


def _stop(child, receive) -> None:
    if child.is_alive():
        child.terminate()
    child.join()
    receive.close()


class Background:
    """`fn(*args)`, computed in a forked child from now on, or here when asked for if it cannot be."""

    def __init__(self, fn: Callable, *args):
        self._fn, self._args = fn, args
        self._child = self._receive = None
        if can_fork():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._child = context.Process(target=_run, args=(send, fn, args), daemon=True)
            self._child.start()
            send.close()
            # Work whose result is never asked for (a build that failed meanwhile) is stopped once it is forgotten.
            self._abandoned = weakref.finalize(self, _stop, self._child, self._receive)

    def result(self):
        """The result (waiting for the child if it is still at work); call once."""
        if self._child is None:
            return self._fn(*self._args)
        try:
            return self._receive.recv()
        except (EOFError, OSError):  # the child failed: compute it here
            return self._fn(*self._args)
        finally:
            self._abandoned.detach()
            self._receive.close()
            self._child.join()
            self._child = None
