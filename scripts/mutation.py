#!/usr/bin/env python3
"""Measure how strong the fast unit tests are: plant faults (mutants) in the pure modules and count
how many the tests catch.

Usage: scripts/mutation.py [--keep] [--max-children N] [--diffs] [--fail-under PERCENT]

Runs mutmut (pinned in requirements-mutation.txt; configured in pyproject.toml, [tool.mutmut]) over
the data, content and format modules with only the unit tests tests/test_units*.py, then prints, per
module and in all, killed/total and the share killed, and every surviving mutant (what `mutmut
results` lists). `make mutation` installs mutmut into .venv and runs this.

  --keep          reuse mutants/ from the last run: mutmut then tests only new or changed functions and
                  keeps the old verdicts (a survivor is not retried after a test was added). By default
                  mutants/ is removed first, so the score is measured afresh.
  --max-children  parallel workers (default: the machine's cores).
  --diffs         print each survivor as a diff against the original function.
  --fail-under    exit 1 when the share killed is below PERCENT (default 0: report only).

Self-check: mutmut's own forced-fail run proves the tests reach the mutated copy in mutants/, and
this script also requires one known mutant to be killed (kaplan_meier counting a patient of unknown
vital status as a death). If the tests imported the unmutated package (e.g. through the editable
install) that mutant would survive, and the run fails.
"""
from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
SPINNER = set("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
# The known mutant: in figures.kaplan_meier, "died" becomes "not known to have died" (alive None counts as death).
KNOWN_FUNCTION = ("iscm_atlas/content/figures.py", "x_kaplan_meier__mutmut_")
KNOWN_CHANGE = "p.alive is not False"


def run_mutmut(max_children: int) -> int:
    """Run `mutmut run`, echoing its messages and, every 30 s, its progress line (not the spinner)."""
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            bufsize=1)
    last_progress, shown_at, buffer = "", 0.0, ""
    assert proc.stdout is not None
    while True:
        chunk = proc.stdout.read(256)
        if not chunk:
            break
        buffer += chunk
        *parts, buffer = re.split(r"[\r\n]", buffer)
        for part in parts:
            text = part.strip()
            if not text:
                continue
            if text[0] in SPINNER:
                last_progress = text[1:].strip()
                if time.monotonic() - shown_at > 30:
                    print(f"    progress: {last_progress}", flush=True)
                    shown_at = time.monotonic()
            else:
                print(f"    {text}", flush=True)
    if buffer.strip():
        print(f"    {buffer.strip()}")
    if last_progress:
        print(f"    final: {last_progress}")
    return proc.wait()


def verdicts() -> dict[str, dict[str, str]]:
    """mutant name -> status, per mutated module (from mutmut's .meta files, read with mutmut's exit-code table)."""
    from mutmut.stats import status_by_exit_code

    found = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        module = meta.relative_to(MUTANTS).as_posix().removesuffix(".meta")
        found[module] = {name: status_by_exit_code[code] for name, code in codes.items()}
    return found


def functions(module: str) -> dict[str, str]:
    """Source of every function in the mutated copy of `module`, by name (mutants and originals alike)."""
    text = (MUTANTS / module).read_text(encoding="utf-8")
    lines = text.splitlines()
    return {node.name: "\n".join(lines[node.lineno - 1:node.end_lineno]) for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def diff(module: str, name: str, sources: dict[str, str]) -> str:
    short = name.rsplit(".", 1)[-1]
    original = re.sub(r"__mutmut_\d+$", "__mutmut_orig", short)
    if short not in sources or original not in sources:
        return f"    (no source found for {short})"
    before = sources[original].splitlines()
    after = sources[short].replace(short, original, 1).splitlines()
    return "\n".join(f"    {line}" for line in difflib.unified_diff(before, after, module, f"{module} ({short})",
                                                                        n=1, lineterm=""))


def known_mutant_status(found: dict[str, dict[str, str]]) -> tuple[str | None, str]:
    module, prefix = KNOWN_FUNCTION
    sources = functions(module)
    for name, status in found.get(module, {}).items():
        short = name.rsplit(".", 1)[-1]
        if short.startswith(prefix) and KNOWN_CHANGE in sources.get(short, ""):
            return name, status
    return None, "missing"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ and its verdicts from the last run")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--diffs", action="store_true", help="print each surviving mutant as a diff")
    parser.add_argument("--fail-under", type=float, default=0.0, metavar="PERCENT")
    args = parser.parse_args()
    try:
        import mutmut
    except ImportError:
        print("mutmut is not installed: run `make mutation` (it installs requirements-mutation.txt into .venv)")
        return 2
    if not args.keep and MUTANTS.exists():
        shutil.rmtree(MUTANTS)
    started = time.monotonic()
    print(f"Running mutmut over the modules in pyproject.toml [tool.mutmut] with {args.max_children} workers ...", flush=True)
    code = run_mutmut(args.max_children)
    elapsed = time.monotonic() - started
    if code != 0:
        print(f"mutmut run failed (exit status {code}); see its messages above")
        return 1
    found = verdicts()
    if not found:
        print("mutmut left no results in mutants/")
        return 1

    print(f"\nMutation score (mutmut {mutmut.__version__ if hasattr(mutmut, '__version__') else ''}, "
          f"tests/test_units*.py, {elapsed / 60:.1f} min)".replace(" , ", " "))
    totals: Counter = Counter()
    width = max(len(m) for m in found)
    for module, by_name in found.items():
        counts = Counter(by_name.values())
        totals.update(counts)
        total = sum(counts.values())
        others = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()) if status not in ("killed", "survived"))
        print(f"  {module:<{width}}  {counts['killed']:>5}/{total:<5} killed ({100 * counts['killed'] / total:5.1f}%)"
              f"  {counts['survived']:>4} survived{'; ' + others if others else ''}")
    total = sum(totals.values())
    share = 100 * totals["killed"] / total if total else 0.0
    print(f"  {'all':<{width}}  {totals['killed']:>5}/{total:<5} killed ({share:5.1f}%)  {totals['survived']:>4} survived"
          + "".join(f"; {n} {s}" for s, n in sorted(totals.items()) if s not in ("killed", "survived")))

    print("\nSurviving mutants (`.venv/bin/python -m mutmut show NAME` shows one):")
    for module, by_name in found.items():
        survivors = [name for name, status in by_name.items() if status != "killed"]
        if not survivors:
            continue
        sources = functions(module) if args.diffs else {}
        for name in survivors:
            print(f"  {name}: {by_name[name]}")
            if args.diffs:
                print(diff(module, name, sources))

    name, status = known_mutant_status(found)
    print(f"\nSelf-check: known mutant ({KNOWN_CHANGE} in figures.kaplan_meier) {name or ''}: {status}")
    if status != "killed":
        print("FAILED: the known mutant was not killed; do the tests import the mutated copy in mutants/?")
        return 1
    print(f"\nKilled {totals['killed']}/{total} mutants: {share:.1f}%")
    if share < args.fail_under:
        print(f"FAILED: below --fail-under {args.fail_under:g}%")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
