"""A problem found in a data file, located by path, line and column, and how to report many at once."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file; `line` and `col` are 1-based (0 when the whole file is meant)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


def format_report(problems: list[Problem]) -> str:
    """Every problem on its own line, sorted by place, then a count, as the CLI and the build print it."""
    lines = [str(p) for p in sorted(set(problems))]
    count = len(lines)
    lines.append(f"{count} problem{'s' if count != 1 else ''} found in the data.")
    return "\n".join(lines)
