"""How current the evidence is: the end of the review's literature search (a cited finding), the date of the atlas's
own latest search run (its search records), and the day the data last changed (the last commit that touched data/),
which never stands in for either. Every page states all three."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from iscm_atlas.content.findings import format_finding
from iscm_atlas.data.model import Dataset

LITERATURE_SEARCH_END = "literature-search-end"  # the finding that dates the collected literature


def data_last_changed(project: Path) -> dt.date | None:
    """The committer date of the last commit that changed data/; None outside a git checkout."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "data"], cwd=project, capture_output=True,
                             text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    text = out.stdout.strip()
    return dt.date.fromisoformat(text) if out.returncode == 0 and text else None


def currency_text(ds: Dataset, project: Path) -> str:
    finding = next((f for f in ds.findings if f.id == LITERATURE_SEARCH_END), None)
    searched = (f"{finding.label[0].lower()}{finding.label[1:]}: {format_finding(finding)} "
                f"({'; '.join(ds.references[r].citation_label for r in finding.citations)})") if finding else \
        "end of the literature search not recorded"
    last = max((s.date for s in ds.searches), default=None)
    waiting = sum(1 for w in ds.screened if w.decision == "awaiting-extraction")
    works = "eligible work" if waiting == 1 else "eligible works"
    pending = f"; {waiting} {works} found by it not yet read twice, so not yet in the data" if waiting else ""
    own = f"the atlas's own search: to {last}{pending} (see Methods)" if last else "the atlas's own search: not run yet"
    changed = data_last_changed(project)
    when = changed.isoformat() if changed else "not recorded (not built from a git checkout)"
    return f"Evidence: {searched}; {own}; data last changed {when} (a change of data, not of the search)."
