"""Each evidence figure's numbers as CSV, for download beside its SVG."""
from __future__ import annotations

import csv
import io

from .figures import EvidenceFigure


def figure_csv(figure: EvidenceFigure) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(figure.columns)
    writer.writerows(figure.rows)
    return out.getvalue()
