"""`make serve` (mkdocs serve --dirty --no-strict): an edit to a case file is rebuilt once and served."""
from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request

from browser import free_port
from conftest import _build_env


def _lines(stream, into: queue.Queue):
    for line in stream:
        into.put(line)


def _wait_for(lines: queue.Queue, text: str, seconds: float) -> list[str]:
    seen, deadline = [], time.time() + seconds
    while time.time() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"no {text!r} within {seconds} s; saw:\n{''.join(seen)[-3000:]}")


def test_an_edited_case_is_rebuilt_once_and_served(project_copy):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"],
                            cwd=project_copy, env=_build_env(project_copy, False), stderr=subprocess.STDOUT,
                            stdout=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
    try:
        _wait_for(lines, "Serving on", 300)
        time.sleep(1)
        case = project_copy / "data" / "cases" / "dam-hieu-2009.yaml"
        text = case.read_text(encoding="utf-8")
        age = int(re.search(r"age: (\d+)", text).group(1))
        case.write_text(re.sub(r"age: \d+", "age: 111", text, count=1), encoding="utf-8")
        _wait_for(lines, "Documentation built", 120)
        time.sleep(3)  # a second rebuild, set off by the render step's own writes, would start within this
        later = []
        while not lines.empty():
            later.append(lines.get())
        assert not [line for line in later if "Building documentation" in line], "".join(later)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/references/dam-hieu-2009/").read().decode("utf-8")
        assert 'data-sort="111"' in page and age != 111
    finally:
        proc.terminate()
        proc.wait(timeout=30)
