"""Work in a forked child (iscm_atlas/background.py): the child's result is the result; a child that fails,
or a machine that cannot fork, costs time and never a result."""
from __future__ import annotations

import os

import pytest

from iscm_atlas import background
from iscm_atlas.background import Background


def where_and_what(n: int) -> tuple[int, list[int]]:
    return os.getpid(), [k * k for k in range(n)]


def test_the_result_comes_from_a_child():
    if not background.can_fork():
        pytest.fail("this machine cannot fork a second process: the build would do all its work on one core")
    pid, squares = Background(where_and_what, 5).result()
    assert pid != os.getpid() and squares == [0, 1, 4, 9, 16]


def test_without_fork_the_work_is_done_here(monkeypatch):
    monkeypatch.setattr(background, "can_fork", lambda: False)
    assert Background(where_and_what, 3).result() == (os.getpid(), [0, 1, 4])


@pytest.mark.parametrize("failure", ["exits", "raises", "sends what cannot be sent"])
def test_a_failing_child_costs_time_not_the_result(failure):
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            if failure == "exits":
                os._exit(3)
            if failure == "raises":
                raise RuntimeError("failed in the child")
            return lambda: None  # a result pickle cannot send
        return "computed here"

    assert Background(work).result() == "computed here"


def test_work_whose_result_is_never_asked_for_stops_once_forgotten():
    """A build that fails while a figure is drawn never asks for the drawing: the child does not linger."""
    import gc
    import time

    if not background.can_fork():
        pytest.fail("this machine cannot fork a second process")
    work = Background(time.sleep, 60)
    child = work._child
    assert child.is_alive()
    del work
    gc.collect()
    assert not child.is_alive()
