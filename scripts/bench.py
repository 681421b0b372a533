#!/usr/bin/env python3
"""Benchmark ISCM Atlas at 1x, 10x and 100x the data and write BENCHMARKS.md (`make bench`).

Synthetic data (clearly marked, never written to data/) is made in a temporary folder by copying
every publication's reference and case files N times under new ids. For each scale it measures, in
one run and interleaved: the atlas build (from nothing, and with the caches of the last build) against
a floor build (plain mkdocs-material building the same rendered pages), validation throughput (cold and
warm), peak memory, the largest page and the search index. At 1x it also measures the `make serve`
rebuild after one case file is edited; it profiles the 10x build; at the largest scale it times a search
in Debian's chromium at 4x CPU throttling and runs Lighthouse 12.2.3 (npm). Ratios and sizes, not assertions.
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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from browser import free_port, serve  # noqa: E402  (the tests' server: the same site, compressed here)

PARTS = ("mkdocs.yml", "CONTRIBUTING.md", "CITATION.cff", "docs", "data", "templates", "iscm_atlas", "scripts")
SYNTHETIC = "SYNTHETIC benchmark record, not evidence"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764028800"}
TARGETS = {"ratio": 1.2, "linearity": 11.0, "records_per_s": 20_000, "page_mb": 1.0, "index_mb": 5.0,
           "search_ms": 1000, "rebuild_s": 1.0, "lh_performance": 95, "lh_accessibility": 100}
LIGHTHOUSE = "12.2.3"
LIGHTHOUSE_RUNS = 3  # per page; the median is reported
SEARCH_RUNS = 3  # per way of searching; the median is reported
WHY = """
## How the atlas keeps up, and what is reported beside the targets

The MkDocs adapter sets every finished table aside before Markdown and puts it back after
(iscm_atlas/render/finished.py; the site is byte-identical either way, tests/test_finished.py); Jinja's bytecode
cache keeps compiled templates and pages; front matter is written by libyaml; per-page scans of all references
became per-dataset indexes. Survival curves are computed by the atlas's own code with lifelines' arithmetic (the
tests compare every value with lifelines; importing lifelines, pandas and scipy cost a second per build), and
kept between builds while their records do not change (numpy, which computes them, is then not loaded). Figures
whose numbers changed are drawn on a second core while MkDocs reads the pages (iscm_atlas/background.py; the hook
writes them before MkDocs copies static files). Data files no build has checked are read and checked on both
cores (iscm_atlas/data/filecheck.py), the plain-value scan judges each line once per load, and the cache of
checked files is written with orjson. A build that has works no earlier build formatted (a clean clone, new
works) formats their citations before the pages, half on each core, and a tree written from nothing is
written half by each core. Tables show 50 rows per page, 20 of each on a primary-site page (several tables
and figures); cards off screen on a phone are laid out only when they scroll near. The search index loads
when a reader opens search and holds one entry per work, titled by the work's label, with what identifies
it (authors, title, journal, year, ids and its records' ids); notes, labels and lists that grow with the
records (a figure's publications, data notes) stay on their pages (tests/test_search_scale.py). Pages are
served compressed here, as a static host serves them; Lighthouse runs three times per page and the median is
reported.

- **How builds are compared.** The issue measures a build as the minimum of several runs against the floor's;
  the atlas keeps caches between builds (checked files, formatted citations, survival curves, drawings, compiled
  templates), so its minimum is a build with caches. The bench makes that a harder case: every build follows a
  contributor's edit (an age, then a survival time, which redraws figures), with the rendered tree of the last
  build kept; those are the targets' rows. *A clean clone's first build* is reported beside them: everything
  the caches keep is then made once (a citation formatted by citeproc-py for each work, every template and page
  compiled by Jinja, every data file checked, every figure drawn, every file of the tree written): a cost
  large beside the floor's whole build at 1x (the first table) that weighs less as the data grow. On CI, keeping
  ~/.cache/iscm-atlas between pull-request runs (actions/cache, keyed by the pinned requirements; never in the
  deploy workflow) would make its builds the "after an edit" case.
- **Search typed at once.** The index is fetched when search opens, so a query typed at that very moment waits
  for its download, parsing and indexing (lunr, in the theme's worker, which Chromium's CPU throttling does not
  slow as much as the page): the time grows with the words in the index, hence one entry per work with only
  what finds it. Once the index is in, the first result comes within a few tenths of a second.
- **Lighthouse scores** vary by about five points between runs of one page on this machine; the median of
  three is reported. The theme's bundle recalculates the style of the whole page several times as it starts (a
  Chromium trace shows it), a cost that grows with the rows shown: hence the rows per page above.
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
    config = re.sub(r"\nhooks:.*\n(  - .*\n)+", "\n", config)
    config = re.sub(r"\nwatch:.*\n(  - .*\n)+", "\n", config)
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


def serve_rebuild(project: Path) -> tuple[float, float]:
    """`mkdocs serve --dirty` after a case file is saved: the rebuild as MkDocs reports it ("Documentation built
    in ..."), and the seconds from the save to that report (MkDocs's file watcher and its wait for more changes
    included)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"],
                            cwd=project, env={**ENV, "PYTHONPATH": str(project)}, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 300
        for line in proc.stderr:
            if "Serving on" in line:
                break
            if time.time() > deadline:
                raise SystemExit("bench: mkdocs serve did not start")
        time.sleep(1.0)
        start = time.perf_counter()
        edit_one_case(project)
        for line in proc.stderr:
            built = re.search(r"Documentation built in ([0-9.]+) seconds", line)
            if built:
                return float(built.group(1)), time.perf_counter() - start
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



def lighthouse(site: Path, work: Path, largest: str) -> list[dict]:
    """Lighthouse 12.2.3 scores (performance, accessibility) with Debian's chromium, pages served locally
    (compressed, as a static host serves them). `largest`: the site's largest HTML page."""
    node = work / "node"
    if not (node / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(node), "-E",
                        f"lighthouse@{LIGHTHOUSE}"], check=True, capture_output=True)
    results = []
    with serve(site, compressed=True) as base:
        for label, path in (("home", ""), ("topic", "topics/survival-and-outcome/"), ("bibliography", "references/"),
                            ("largest table (surgical series)", "cases/surgical-series/"),
                            ("breast-carcinoma table", "cases/breast-carcinoma/"), ("reference page", "references/dam-hieu-2009/"),
                            ("largest HTML page", largest)):
            runs = []
            for run_number in range(LIGHTHOUSE_RUNS):  # Lighthouse's own advice: the median of several runs
                report = work / f"lh-{re.sub(r'[^a-z]+', '-', label)}-{run_number}.json"
                subprocess.run([str(node / "node_modules" / ".bin" / "lighthouse"), base + path, "--quiet",
                                "--only-categories=performance,accessibility", "--output=json", f"--output-path={report}",
                                "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                                "--disable-component-update --disable-sync --no-first-run"],
                               check=True, capture_output=True, env={**os.environ, "CHROME_PATH": shutil.which("chromium") or ""})
                runs.append(json.loads(report.read_text()))
            runs.sort(key=lambda d: d["categories"]["performance"]["score"])
            data = runs[len(runs) // 2]
            failing = [a["id"] for a in data["audits"].values()
                       if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0
                       and a["id"] in {r["id"] for r in data["categories"]["accessibility"]["auditRefs"]}]
            results.append({"page": label, "path": "/" + path,
                            "performance": round(100 * data["categories"]["performance"]["score"]),
                            "performance_runs": [round(100 * d["categories"]["performance"]["score"]) for d in runs],
                            "tbt_ms": data["audits"]["total-blocking-time"]["numericValue"],
                            "lcp_ms": data["audits"]["largest-contentful-paint"]["numericValue"],
                            "accessibility": min(round(100 * d["categories"]["accessibility"]["score"]) for d in runs),
                            "failing": failing})
    return results


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in meminfo if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def validation(project: Path, cache: Path) -> tuple[int, float]:
    """Records and records per second of loading and checking the data in a new process (start-up excluded)."""
    code = ("import sys, time, json; from pathlib import Path\n"
            "from iscm_atlas.data.dataset import load_dataset\nfrom iscm_atlas.data.filecache import ValidatedFiles\n"
            "data = Path('data'); t = time.perf_counter()\n"
            "ds = load_dataset(data, ValidatedFiles(data / 'schemas', Path(sys.argv[1]))).dataset\n"
            "e = time.perf_counter() - t\n"
            "n = len(ds.references) + len(ds.series) + len(ds.patients) + len(ds.findings) + len(ds.group_statistics)\n"
            "print(json.dumps([n, e]))")
    out = subprocess.run([sys.executable, "-c", code, str(cache)], cwd=project, env={**ENV, "PYTHONPATH": str(project)},
                         capture_output=True, text=True, check=True).stdout
    records, seconds = json.loads(out)
    return records, records / seconds


def validation_rounds(project: Path, work: Path, rounds: int) -> tuple[int, float, float]:
    """Records, and the best records per second of `rounds` cold loads (each with an empty cache) and of the warm
    load after each (this machine's timings vary by 10 to 20% from run to run)."""
    cold, warm = [], []
    for k in range(rounds):
        cache = work / f"validation-cache-{k}"
        records, rate = validation(project, cache)
        cold.append(rate)
        warm.append(validation(project, cache)[1])
    return records, max(cold), max(warm)


SEARCH_TIMING = """
() => { window.atlasSearchTiming = new Promise(resolve => {
  let typed = null;
  document.addEventListener("keydown", () => { if (typed === null) typed = performance.now(); }, {capture: true, once: true});
  const list = document.querySelector(".md-search-result__list");
  new MutationObserver((_, observer) => {
    if (typed !== null && list.querySelector(".md-search-result__item")) {
      observer.disconnect(); resolve(performance.now() - typed);
    }
  }).observe(list, {childList: true, subtree: true});
}); }
"""


def search_timing(site: Path, query: str) -> dict[str, list[float]]:
    """Milliseconds from the first key of a query to the first result, in Debian's chromium at 4x CPU throttling:
    typed at once after opening search (the index is fetched when search opens: its download, parsing and
    indexing count), and typed once the index is ready (a reader who opened search a while ago). Each is
    measured SEARCH_RUNS times, each in a new page; the median is reported, with the runs."""
    from playwright.sync_api import sync_playwright

    timings = {}
    with serve(site, compressed=True) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"))
        for when in [w for w in ("at_once", "ready") for _ in range(SEARCH_RUNS)]:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
            page.goto(base)
            page.wait_for_load_state("networkidle")
            page.evaluate(SEARCH_TIMING)  # the promise is kept on window: evaluate() would wait for it
            page.get_by_role("textbox", name="Search").click()
            if when == "ready":
                page.wait_for_load_state("networkidle")  # the index is downloaded
                page.wait_for_timeout(5000)  # and the worker has indexed it
            page.keyboard.type(query, delay=50)
            timings.setdefault(when, []).append(float(page.evaluate("window.atlasSearchTiming")))
            page.close()
        browser.close()
    return {when: sorted(runs) for when, runs in timings.items()}


def edit_one_case(project: Path, field: str = "age") -> None:
    """A contributor's small edit: one patient's age (one table row changes) or survival (the survival curves and
    their figures change too), in one case file."""
    case = project / "data" / "cases" / "dam-hieu-2009.yaml"
    text = case.read_text(encoding="utf-8")
    edited = re.sub(rf"{field}: (\d+)", lambda m: f"{field}: {int(m.group(1)) + 1}", text, count=1)
    if edited == text:
        raise SystemExit(f"bench: no {field} to edit in {case}")
    case.write_text(edited, encoding="utf-8")


def build_rounds(project: Path, floor: Path, work: Path, rounds: int) -> dict:
    """Atlas builds from nothing (no rendered tree, empty caches), atlas builds with the caches of the last build,
    and floor builds, interleaved round by round: seconds of each, and the atlas's peak memory. Every build
    writes its site into an empty folder, the last one removed and flushed to disk before the clock starts:
    writing thousands of files where thousands were just deleted took up to twice as long, depending on what
    the disk still had to do, and that is the file system's time, not the builder's."""
    cache = work / "cache"
    env = {**ENV, "ISCM_CACHE_DIR": str(cache)}
    times: dict[str, list[float]] = {"cold": [], "warm": [], "redraw": [], "floor": []}
    rss = []

    def build(kind: str, where: Path, folder: str, build_env=env) -> int:
        shutil.rmtree(work / folder, ignore_errors=True)
        os.sync()
        seconds, peak, _ = run(["mkdocs", "build", "-q", "-d", str(work / folder)], where, build_env)
        times[kind].append(seconds)
        return peak

    for _ in range(rounds):
        shutil.rmtree(project / "build", ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        rss.append(build("cold", project, "site"))
        build("floor", floor, "floor-site", ENV)
        edit_one_case(project)  # render again after an edit, with the caches and drawings of the last build
        build("warm", project, "site")
        edit_one_case(project, "survival_months")  # an edit that changes figures: they are estimated and drawn again
        build("redraw", project, "site")
    return {"times": times, "rss_mb": max(rss) / 1024}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated multiples of the data (default 1,10,100)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved build rounds per scale (default 3)")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="iscm-bench-") as tmp:
        tmp = Path(tmp)
        for scale in scales:
            work = tmp / f"x{scale}"
            project = make_project(work / "project", scale)
            print(f"bench: {scale}x: data made", file=sys.stderr)
            run(["mkdocs", "build", "-q", "-d", str(work / "site")], project, {**ENV, "ISCM_CACHE_DIR": str(work / "cache")})
            floor = floor_project(project)
            rounds = build_rounds(project, floor, work, args.rounds)
            records, cold, warm = validation_rounds(project, work, args.rounds)
            times = rounds["times"]
            results[scale] = {"times": times, "rss_mb": rounds["rss_mb"], "records": records, "validation_cold": cold,
                              "validation_warm": warm, **sizes(work / "site")}
            print(f"bench: {scale}x: {results[scale]}", file=sys.stderr)
            if scale == 1:
                results["rebuild_s"], results["rebuild_wall_s"] = min(serve_rebuild(project) for _ in range(3))
            if scale == 10:
                results["profile"] = profile_build(project)
            if scale == max(scales):
                searched = search_timing(work / "site", "Kalayci")
                results["search_runs"] = searched
                results["search_ms"] = searched["at_once"][len(searched["at_once"]) // 2]
                results["search_ready_ms"] = searched["ready"][len(searched["ready"]) // 2]
                results["search_scale"] = scale
                if not args.no_lighthouse:
                    largest = results[scale]["largest_page"].removesuffix("index.html")
                    results["lighthouse"] = lighthouse(work / "site", tmp, largest)
                    results["lighthouse_scale"] = scale
    args.out.write_text(report(results, scales, args.rounds), encoding="utf-8")
    print(f"bench: wrote {args.out}", file=sys.stderr)
    return 0


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _mm(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f}"


def report(r: dict, scales: list[int], rounds: int) -> str:
    lines = ["# Benchmarks", "", "Written by `make bench` (scripts/bench.py); the numbers below are from its last run.", "",
             f"- Machine: {machine()}.",
             "- Data: the real data at 1x; at 10x and 100x every publication's reference and case files are copied under new",
             "  ids, marked as synthetic, in a temporary folder (never in data/).",
             f"- Builds: {rounds} rounds per scale, interleaved (atlas from nothing, floor, atlas after two edits), minimum /",
             "  median in seconds. *Atlas, from nothing*: `mkdocs build` with no rendered tree and empty caches (a clean clone).",
             "  *Atlas, after an edit*: one patient's age changed, the caches of the last build kept (checked files,",
             "  formatted citations, drawings), as `make site` after a contributor's edit; *after a survival edit*: then one",
             "  patient's survival changed, so the survival curves and their figures are computed and drawn again. *Floor*: plain mkdocs-material building",
             "  the same rendered pages (build/docs: every page, generated ones included), no hook, no theme override.",
             "- Validation: loading and checking the data in a new process, start-up excluded; cold with an empty cache,",
             f"  warm with the cache of the cold run; the best of {rounds} of each.", "",
             "| scale | records | pages | atlas, from nothing | atlas, after an edit | atlas, after a survival edit | floor | ratio (nothing / edit / survival edit) | validation cold / warm (records/s) | peak memory (MB) | largest page (KB raw / gzip) | search index (MB raw / gzip) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for s in scales:
        x = r[s]
        t = x["times"]
        x["ratio_cold"] = min(t["cold"]) / min(t["floor"])
        x["ratio_warm"] = min(t["warm"]) / min(t["floor"])
        x["ratio_redraw"] = min(t["redraw"]) / min(t["floor"])
        lines.append(f"| {s}x | {x['records']:,} | {x['pages']:,} | {_mm(t['cold'])} | {_mm(t['warm'])} | {_mm(t['redraw'])} | {_mm(t['floor'])} | "
                     f"{x['ratio_cold']:.2f} / {x['ratio_warm']:.2f} / {x['ratio_redraw']:.2f} | {x['validation_cold']:,.0f} / {x['validation_warm']:,.0f} | "
                     f"{x['rss_mb']:.0f} | {x['largest_raw'] / 1024:.0f} / {x['largest_gzip'] / 1024:.0f} "
                     f"(`{x['largest_page']}`) | {x['index_raw'] / 2**20:.1f} / {x['index_gzip'] / 2**20:.2f} |")
    lines += ["", "## Targets", "", "| target | measured | |", "| --- | --- | --- |"]
    worst_warm = max(r[s]["ratio_warm"] for s in scales)
    lines.append(f"| build <= {TARGETS['ratio']}x the floor at every scale, after an edit (minimum of {rounds}) | worst {worst_warm:.2f}x | {verdict(worst_warm <= TARGETS['ratio'])} |")
    worst_redraw = max(r[s]["ratio_redraw"] for s in scales)
    lines.append(f"| build <= {TARGETS['ratio']}x the floor at every scale, after a survival edit (figures drawn again) | worst {worst_redraw:.2f}x | {verdict(worst_redraw <= TARGETS['ratio'])} |")
    cold_ratios = ", ".join(f"{s}x {r[s]['ratio_cold']:.2f}x" for s in scales)
    lines.append(f"| a clean clone's first build (no rendered tree, empty caches) against the floor (report: see below) | {cold_ratios} | report |")
    if 10 in scales and 100 in scales:
        linear = min(r[100]["times"]["warm"]) / min(r[10]["times"]["warm"])
        linear_cold = min(r[100]["times"]["cold"]) / min(r[10]["times"]["cold"])
        lines.append(f"| 100x / 10x build time <= {TARGETS['linearity']}, after an edit (from nothing: {linear_cold:.1f}) | {linear:.1f} | {verdict(linear <= TARGETS['linearity'])} |")
    top = max(scales)
    cold = r[top]["validation_cold"]
    warm = r[top]["validation_warm"]
    lines.append(f"| validation >= {TARGETS['records_per_s']:,} records/s at {top}x, cold | {cold:,.0f} | {verdict(cold >= TARGETS['records_per_s'])} |")
    lines.append(f"| validation at {top}x, warm (report) | {warm:,.0f} | {verdict(warm >= TARGETS['records_per_s'])} |")
    largest = r[top]["largest_raw"] / 2**20
    lines.append(f"| at {top}x no HTML page over {TARGETS['page_mb']} MB | {largest:.2f} MB (`{r[top]['largest_page']}`) | {verdict(largest <= TARGETS['page_mb'])} |")
    index = r[top]["index_raw"] / 2**20
    lines.append(f"| at {top}x search index <= {TARGETS['index_mb']} MB raw | {index:.1f} MB | {verdict(index <= TARGETS['index_mb'])} |")
    if "search_ms" in r:
        lines.append(f"| at {r['search_scale']}x, first search result <= {TARGETS['search_ms']} ms after typing (chromium, 4x CPU throttling), "
                     f"typed as soon as search opens (the index is fetched then); median of {SEARCH_RUNS} | {r['search_ms']:.0f} ms "
                     f"(runs {', '.join(f'{x:.0f}' for x in r['search_runs']['at_once'])}) | {verdict(r['search_ms'] <= TARGETS['search_ms'])} |")
        lines.append(f"| the same, typed once the index is ready | {r['search_ready_ms']:.0f} ms "
                     f"(runs {', '.join(f'{x:.0f}' for x in r['search_runs']['ready'])}) | "
                     f"{verdict(r['search_ready_ms'] <= TARGETS['search_ms'])} |")
    if "rebuild_s" in r:
        lines.append(f"| `make serve` rebuild after editing one case file <= {TARGETS['rebuild_s']} s at 1x (as MkDocs reports it; best of 3) | {r['rebuild_s']:.2f} s | {verdict(r['rebuild_s'] <= TARGETS['rebuild_s'])} |")
        lines.append(f"| the same, from saving the file to the rebuilt site (MkDocs's file watcher included) | {r['rebuild_wall_s']:.2f} s | {verdict(r['rebuild_wall_s'] <= TARGETS['rebuild_s'])} |")
    for lh in r.get("lighthouse", []):
        ok = lh["performance"] >= TARGETS["lh_performance"] and lh["accessibility"] >= TARGETS["lh_accessibility"]
        failing = f" (failing: {', '.join(lh['failing'])})" if lh["failing"] else ""
        lines.append(f"| Lighthouse {LIGHTHOUSE} (mobile) at {r['lighthouse_scale']}x, {lh['page']} `{lh['path']}`: performance >= 95, "
                     f"accessibility 100 | {lh['performance']} / {lh['accessibility']}{failing} (runs {', '.join(map(str, lh['performance_runs']))}; "
                     f"median's TBT {lh['tbt_ms']:.0f} ms, LCP {lh['lcp_ms'] / 1000:.1f} s) | {verdict(ok)} |")
    lines += WHY.rstrip("\n").split("\n")
    if "profile" in r:
        lines += ["", "## What dominates the build (cProfile, 10x, from nothing, cumulative seconds)", "",
                  "| function | seconds |", "| --- | ---: |"]
        lines += [f"| `{name}` | {seconds:.1f} |" for name, seconds in r["profile"]]
    lines += ["", "## Re-measure", "", "```sh", "make bench            # all scales, with Lighthouse (npm, Debian chromium)",
              "python scripts/bench.py --scales 1,10 --no-lighthouse   # quicker", "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
