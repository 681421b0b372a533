#!/usr/bin/env python3
"""Benchmark ISCM Atlas at 1x, 10x and 100x the data and write BENCHMARKS.md (`make bench`).

Synthetic data (clearly marked, never written to data/) is made in a temporary folder by copying
every publication's reference and case files N times under new ids. For each scale it measures, in
one run: the full build against a floor build (mkdocs-material building the same rendered Markdown
as plain pages, macros and hooks off, same navigation settings), validation throughput, peak
memory, the largest page and the search index (raw and gzip). At 1x it also measures the
`mkdocs serve` rebuild after one case file is edited, profiles the 10x build, and runs Lighthouse
12.2.3 (npm) with Debian's chromium on three pages. Results are ratios and sizes, not assertions.
"""
from __future__ import annotations

import argparse
import copy
import gzip
import io
import json
import os
import platform
import pstats
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iscm_atlas.data.dataset import load_dataset  # noqa: E402

PARTS = ("mkdocs.yml", "CONTRIBUTING.md", "CITATION.cff", "docs", "data", "templates", "iscm_atlas", "scripts")
SYNTHETIC = "SYNTHETIC benchmark record, not evidence"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764028800"}
TARGETS = {"ratio": 1.2, "linearity": 11.0, "records_per_s": 20_000, "page_gzip_kb": 500, "index_gzip_mb": 5.0,
           "rebuild_s": 2.0, "lh_performance": 95, "lh_accessibility": 100}
LIGHTHOUSE = "12.2.3"
WHY = """
## Why the unmet targets are unmet (and what would meet them)

- **Build vs floor.** The floor build only renders Markdown. The full build also validates every data file,
  imports lifelines, pandas and matplotlib and draws the evidence figures (a fixed cost of about two seconds,
  which dominates at 1x), writes a BibTeX and a RIS file per reference, and adds the cite block and the
  citation metadata to every page. The ratio falls as the data grows (see the table), but stays above 1.2x.
  Next steps: draw figures in a separate process while pages render; write per-reference BibTeX/RIS lazily
  (one combined file plus anchors); cache validated files by content hash between builds.
- **Validation throughput.** Each file is parsed with positions (libyaml, or the pure-Python loader when the
  file could hold an alias), walked once for line numbers and duplicate keys, and checked with jsonschema's
  Draft 2020-12 validator, all in Python: about two thousand records a second. Twenty thousand would need a
  compiled validator (fastjsonschema compiles to Python but does not support Draft 2020-12) or validating only
  the files that changed.
- **Lighthouse performance** (mobile, simulated throttling). The theme's JavaScript bundle and, on
  `/references/`, a table of every reference enhanced by tablesort on load, cost main-thread time on a slow
  phone. Next steps: paginate or filter the bibliography client-side over the JSON export, and load tablesort
  only when a heading is first used.
"""


def make_project(dest: Path, scale: int) -> Path:
    """A copy of the project whose data holds every publication `scale` times (copies marked synthetic)."""
    dest.mkdir(parents=True)
    for part in PARTS:
        src = ROOT / part
        (shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__")) if src.is_dir()
         else shutil.copy2(src, dest / part))
    data = dest / "data"
    for k in range(2, scale + 1):
        for case_file in sorted((ROOT / "data" / "cases").glob("*.yaml")):
            case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
            old, new = case["id"], f"{case['id']}-syn{k}"
            ref = yaml.safe_load((ROOT / "data" / "references" / f"{case['reference']}.yaml").read_text(encoding="utf-8"))
            ref["id"] = new
            ref["iscm"].pop("review_ref", None)
            ref["iscm"].setdefault("notes", []).append(SYNTHETIC)
            if "title" in ref:
                ref["title"] = f"[Synthetic {k}] {ref['title']}"
            synthetic = copy.deepcopy(case)
            synthetic["id"] = synthetic["reference"] = new
            for section in ("series", "patients", "group_statistics"):
                for record in synthetic.get(section, []):
                    record["id"] = new + record["id"][len(old):]
                    if record["source"]["document"] == old:
                        record["source"]["document"] = new
                    if section == "group_statistics":
                        record["patients"] = [new + p[len(old):] for p in record["patients"]]
            (data / "references" / f"{new}.yaml").write_text(yaml.safe_dump(ref, allow_unicode=True, sort_keys=False), encoding="utf-8")
            (data / "cases" / f"{new}.yaml").write_text(yaml.safe_dump(synthetic, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest


def run(cmd, cwd, env=ENV) -> tuple[float, int, str]:
    """Wall time, peak RSS (KiB) of the child, and its output."""
    wrapper = ("import resource, runpy, sys; sys.argv = sys.argv[1:]\n"
               "try:\n    runpy.run_module(sys.argv[0], run_name='__main__')\n"
               "except SystemExit as e:\n    code = e.code\nelse:\n    code = 0\n"
               "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], cwd=cwd, env={**env, "PYTHONPATH": str(cwd)},
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"bench: {' '.join(cmd)} failed in {cwd}:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    rss = int(re.search(r"MAXRSS (\d+)", proc.stderr).group(1))
    return elapsed, rss, proc.stdout + proc.stderr


def floor_project(project: Path) -> Path:
    """The rendered tree (build/docs: every page, generated ones included, with the same cite blocks, figures and
    downloads) built by plain mkdocs-material: no hook, no theme override, the same navigation settings."""
    floor = project.parent / "floor"
    shutil.rmtree(floor, ignore_errors=True)
    shutil.copytree(project / "build" / "docs", floor / "docs")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\nhooks:\n(  - .*\n)+", "\n", config)
    config = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", config)
    config = config.replace("strict: true", "strict: false")
    config = re.sub(r"  custom_dir: templates/overrides.*\n", "  # no theme override in the floor build\n", config)
    (floor / "mkdocs.yml").write_text(config, encoding="utf-8")
    return floor


def sizes(site: Path) -> dict:
    pages = [(p.stat().st_size, p) for p in site.rglob("*.html")]
    biggest_size, biggest = max(pages)
    index = (site / "search" / "search_index.json").read_bytes()
    return {"pages": len(pages), "largest_page": biggest.relative_to(site).as_posix(), "largest_raw": biggest_size,
            "largest_gzip": len(gzip.compress(biggest.read_bytes(), 6)), "index_raw": len(index),
            "index_gzip": len(gzip.compress(index, 6))}


def validation_throughput(data: Path) -> tuple[int, float]:
    start = time.perf_counter()
    result = load_dataset(data)
    elapsed = time.perf_counter() - start
    ds = result.dataset
    records = len(ds.references) + len(ds.series) + len(ds.patients) + len(ds.findings) + len(ds.group_statistics)
    return records, records / elapsed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_rebuild(project: Path) -> float:
    """Seconds from saving an edited case file to `mkdocs serve` reporting the rebuilt site."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=project, env={**ENV, "PYTHONPATH": str(project)}, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 300
        for line in proc.stderr:
            if "Serving on" in line:
                break
            if time.time() > deadline:
                raise SystemExit("bench: mkdocs serve did not start")
        time.sleep(1.0)
        case = project / "data" / "cases" / "mercier-1984.yaml"
        start = time.perf_counter()
        case.write_text(case.read_text(encoding="utf-8") + "notes: ['edited by the benchmark']\n", encoding="utf-8")
        for line in proc.stderr:
            if "Documentation built in" in line:
                return time.perf_counter() - start
        raise SystemExit("bench: mkdocs serve did not rebuild")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def profile_build(project: Path, top: int = 12) -> list[tuple[str, float]]:
    """cProfile of a build from nothing; the functions of our code and of MkDocs with the most cumulative time."""
    out = project.parent / "build.prof"
    shutil.rmtree(project / "build", ignore_errors=True)
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "mkdocs", "build", "-q", "-d",
                    str(project.parent / "prof-site")], cwd=project, env={**ENV, "PYTHONPATH": str(project)},
                   check=True, capture_output=True)
    stats = pstats.Stats(str(out), stream=io.StringIO())
    rows = []
    for (file, _line, func), (_, _, _, cumulative, _) in stats.stats.items():
        if "iscm_atlas" in file or ("mkdocs/" in file and "commands/build.py" in file) or "markdown/core.py" in file \
                or "search/plugin.py" in file:
            rows.append((f"{Path(file).parent.name}/{Path(file).name}:{func}", cumulative))
    return sorted(rows, key=lambda r: -r[1])[:top]


def lighthouse(site: Path, work: Path) -> list[dict]:
    """Lighthouse 12.2.3 scores (performance, accessibility) with Debian's chromium, pages served locally."""
    node = work / "node"
    if not (node / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(node), "-E",
                        f"lighthouse@{LIGHTHOUSE}"], check=True, capture_output=True)
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results = []
    try:
        for label, path in (("home", ""), ("topic", "topics/survival-and-outcome/"), ("largest table", "references/"),
                            ("breast-carcinoma table", "cases/breast-carcinoma/"), ("surgical series", "cases/surgical-series/")):
            report = work / f"lh-{label.replace(' ', '-')}.json"
            subprocess.run([str(node / "node_modules" / ".bin" / "lighthouse"), base + path, "--quiet",
                            "--only-categories=performance,accessibility", "--output=json", f"--output-path={report}",
                            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                            "--disable-component-update --disable-sync --no-first-run"],
                           check=True, capture_output=True, env={**os.environ, "CHROME_PATH": shutil.which("chromium") or ""})
            data = json.loads(report.read_text())
            failing = [a["id"] for a in data["audits"].values()
                       if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0
                       and a["id"] in {r["id"] for r in data["categories"]["accessibility"]["auditRefs"]}]
            results.append({"page": label, "path": "/" + path,
                            "performance": round(100 * data["categories"]["performance"]["score"]),
                            "accessibility": round(100 * data["categories"]["accessibility"]["score"]),
                            "failing": failing})
    finally:
        server.shutdown()
    return results


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in meminfo if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated multiples of the data (default 1,10,100)")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]
    results = {}
    with tempfile.TemporaryDirectory(prefix="iscm-bench-") as tmp:
        tmp = Path(tmp)
        for scale in scales:
            work = tmp / f"x{scale}"
            project = make_project(work / "project", scale)
            print(f"bench: {scale}x: data made", file=sys.stderr)
            full_s, full_rss, _ = run(["mkdocs", "build", "-q", "-d", str(work / "site")], project)  # render included
            floor = floor_project(project)
            shutil.rmtree(project / "build")  # the next builds render from nothing, as a clean clone does
            full_s, full_rss, _ = run(["mkdocs", "build", "-q", "-d", str(work / "site")], project)
            floor_s, floor_rss, _ = run(["mkdocs", "build", "-q", "-d", str(work / "floor-site")], floor)
            records, per_s = validation_throughput(project / "data")
            results[scale] = {"full_s": full_s, "floor_s": floor_s, "ratio": full_s / floor_s, "rss_mb": full_rss / 1024,
                              "floor_rss_mb": floor_rss / 1024, "records": records, "records_per_s": per_s,
                              **sizes(work / "site")}
            print(f"bench: {scale}x: {results[scale]}", file=sys.stderr)
            if scale == 1:
                results["rebuild_s"] = serve_rebuild(project)
                if not args.no_lighthouse:
                    results["lighthouse"] = lighthouse(work / "site", tmp)
            if scale == 10:
                results["profile"] = profile_build(project)
    args.out.write_text(report(results, scales), encoding="utf-8")
    print(f"bench: wrote {args.out}", file=sys.stderr)
    return 0


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def report(r: dict, scales: list[int]) -> str:
    lines = ["# Benchmarks", "", "Written by `make bench` (scripts/bench.py); the numbers below are from its last run.", "",
             f"- Machine: {machine()}.",
             "- Data: the real data at 1x; at 10x and 100x every publication's reference and case files are copied under new",
             "  ids, marked as synthetic, in a temporary folder (never in data/).",
             "- Full build: `python -m mkdocs build` of the project. Floor build: mkdocs-material building the same rendered",
             "  Markdown (every page, generated ones included, with the same cite blocks) as plain pages: macros and hooks off,",
             "  the same navigation settings (generated pages out of the nav).", "",
             "| scale | records | pages | full build (s) | floor build (s) | ratio | validation (records/s) | peak memory (MB) | largest page (KB raw / gzip) | search index (MB raw / gzip) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for s in scales:
        x = r[s]
        lines.append(f"| {s}x | {x['records']:,} | {x['pages']:,} | {x['full_s']:.1f} | {x['floor_s']:.1f} | {x['ratio']:.2f} | "
                     f"{x['records_per_s']:,.0f} | {x['rss_mb']:.0f} | {x['largest_raw'] / 1024:.0f} / {x['largest_gzip'] / 1024:.0f} "
                     f"(`{x['largest_page']}`) | {x['index_raw'] / 2**20:.1f} / {x['index_gzip'] / 2**20:.2f} |")
    lines += ["", "## Targets", "", "| target | measured | |", "| --- | --- | --- |"]
    worst_ratio = max(r[s]["ratio"] for s in scales)
    lines.append(f"| build <= {TARGETS['ratio']}x the floor at every scale | worst {worst_ratio:.2f}x | {verdict(worst_ratio <= TARGETS['ratio'])} |")
    if 10 in scales and 100 in scales:
        linear = r[100]["full_s"] / r[10]["full_s"]
        lines.append(f"| build time at most linear: 100x / 10x <= {TARGETS['linearity']} | {linear:.1f} | {verdict(linear <= TARGETS['linearity'])} |")
    slowest = min(r[s]["records_per_s"] for s in scales)
    lines.append(f"| validation >= {TARGETS['records_per_s']:,} records/s | slowest {slowest:,.0f} | {verdict(slowest >= TARGETS['records_per_s'])} |")
    top = max(scales)
    lines.append(f"| at {top}x no page over {TARGETS['page_gzip_kb']} KB gzip | {r[top]['largest_gzip'] / 1024:.0f} KB | {verdict(r[top]['largest_gzip'] / 1024 <= TARGETS['page_gzip_kb'])} |")
    lines.append(f"| at {top}x search index <= {TARGETS['index_gzip_mb']} MB gzip | {r[top]['index_gzip'] / 2**20:.2f} MB | {verdict(r[top]['index_gzip'] / 2**20 <= TARGETS['index_gzip_mb'])} |")
    if "rebuild_s" in r:
        lines.append(f"| `mkdocs serve` rebuild after one edit <= {TARGETS['rebuild_s']} s at 1x | {r['rebuild_s']:.1f} s | {verdict(r['rebuild_s'] <= TARGETS['rebuild_s'])} |")
    for lh in r.get("lighthouse", []):
        ok = lh["performance"] >= TARGETS["lh_performance"] and lh["accessibility"] >= TARGETS["lh_accessibility"]
        failing = f" (failing: {', '.join(lh['failing'])})" if lh["failing"] else ""
        lines.append(f"| Lighthouse {LIGHTHOUSE}, {lh['page']} `{lh['path']}`: performance >= 95, accessibility 100 | "
                     f"{lh['performance']} / {lh['accessibility']}{failing} | {verdict(ok)} |")
    lines += WHY.rstrip("\n").split("\n")
    if "profile" in r:
        lines += ["", "## What dominates the build (cProfile, 10x, cumulative seconds)", "", "| function | seconds |", "| --- | ---: |"]
        lines += [f"| `{name}` | {seconds:.1f} |" for name, seconds in r["profile"]]
    lines += ["", "## Re-measure", "", "```sh", "make bench            # all scales, with Lighthouse (npm, Debian chromium)",
              "python scripts/bench.py --scales 1,10 --no-lighthouse   # quicker", "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
