#!/usr/bin/env python3
"""Build times of the render step and of both engines, measured in one run, interleaved (issue 16).

Each round, on a copy of the project: the render step from nothing (`python -m iscm_atlas.render`), MkDocs
building the rendered tree (`mkdocs build`; its hook finds the tree current), Zensical building the same tree
(`python -m iscm_atlas.adapters.zensical_build`; the render step finds it current), and `make site`'s whole
job from nothing (render and MkDocs). "From nothing": no rendered tree and empty caches (ISCM_CACHE_DIR). Prints the minimum and the median of each, in seconds.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("mkdocs.yml", "CONTRIBUTING.md", "CITATION.cff", "docs", "data", "templates", "iscm_atlas")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764028800"}


def timed(cmd: list[str], cwd: Path, cache: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env={**ENV, "PYTHONPATH": str(cwd), "ISCM_CACHE_DIR": str(cache)},
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return elapsed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    runs: dict[str, list[float]] = {"render step (from nothing)": [], "MkDocs + mkdocs-material (tree rendered)": [],
                                    "Zensical 0.0.73 (tree rendered)": [], "make site's job from nothing (render + MkDocs)": []}
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="iscm-engines-") as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        for part in PARTS:
            src = ROOT / part
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / part)
        (project / ".git").symlink_to(ROOT / ".git")  # the data's last commit date, as in the checkout
        cache = Path(tmp) / "cache"  # the build's caches (checked files, formatted citations): emptied for "from nothing"
        for _ in range(args.rounds):
            shutil.rmtree(project / "build", ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            runs["render step (from nothing)"].append(timed([py, "-m", "iscm_atlas.render"], project, cache))
            runs["MkDocs + mkdocs-material (tree rendered)"].append(
                timed([py, "-m", "mkdocs", "build", "-q", "--strict", "-d", str(Path(tmp) / "site")], project, cache))
            runs["Zensical 0.0.73 (tree rendered)"].append(
                timed([py, "-m", "iscm_atlas.adapters.zensical_build", str(Path(tmp) / "zsite")], project, cache))
            shutil.rmtree(project / "build")
            shutil.rmtree(cache)
            runs["make site's job from nothing (render + MkDocs)"].append(
                timed([py, "-m", "mkdocs", "build", "-q", "--strict", "-d", str(Path(tmp) / "site")], project, cache))
    print(f"| step ({args.rounds} rounds, interleaved) | min (s) | median (s) |\n| --- | ---: | ---: |")
    for name, times in runs.items():
        print(f"| {name} | {min(times):.2f} | {statistics.median(times):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
