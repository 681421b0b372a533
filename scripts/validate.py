#!/usr/bin/env python3
"""Check ISCM Atlas data files and print every problem as `path:line:col: message`.

Every check the test suite runs on data files runs here too: the schemas, the checks across files, and the
layout (yamllint with the project's .yamllint.yaml, the schema line for editors).

Usage: scripts/validate.py [PATH ...]

With no PATH, checks the project's whole data/ folder. A PATH may be a data folder (one holding
references/, cases/ and vocabularies/) or files inside one: the whole folder is always loaded, so
cross-file rules apply, but only problems in the named files are printed. Exit status: 0 when
clean, 1 when there are problems, 2 when a PATH is not inside a data folder.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from iscm_atlas.data.dataset import load_dataset
from iscm_atlas.data.filecache import ValidatedFiles
from iscm_atlas.data.lint import lint_data
from iscm_atlas.data.problems import format_report

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"


def data_dir_of(path: Path) -> Path | None:
    for candidate in (path, *path.parents):
        if (candidate / "references").is_dir() and (candidate / "cases").is_dir():
            return candidate
    return None


def main(argv: list[str]) -> int:
    targets = [Path(a).resolve() for a in argv] or [DEFAULT_DATA]
    groups: dict[Path, set[Path] | None] = {}
    for target in targets:
        data_dir = data_dir_of(target)
        if data_dir is None:
            print(f"{target}: not inside an ISCM Atlas data folder (one holding references/ and cases/); "
                  "pass data/ or a file in it", file=sys.stderr)
            return 2
        if target == data_dir:
            groups[data_dir] = None
        elif groups.get(data_dir, set()) is not None:
            groups.setdefault(data_dir, set()).add(target)
    problems = []
    checked = 0
    for data_dir, only in groups.items():
        result = load_dataset(data_dir, ValidatedFiles(data_dir / "schemas"))
        for problem in [*result.problems, *lint_data(data_dir)]:  # the layout checks the test suite runs too
            file = (data_dir.parent / problem.path).resolve()
            if only is None or file in only or any(file.is_relative_to(o) for o in only if o.is_dir()):
                problems.append(problem)
        if result.dataset is not None:
            checked += len(result.dataset.references) + len(result.dataset.series) + len(result.dataset.patients)
    if problems:
        print(format_report(problems))
        return 1
    print(f"OK: data is valid ({checked} references, series and patient records checked).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
