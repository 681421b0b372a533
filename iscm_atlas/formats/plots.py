"""Draw an EvidenceFigure as a standalone SVG with matplotlib, the same bytes on every build.

The SVG has its own white background, so it reads the same in the light and the dark colour
scheme; the page shows it as an <img> with the figure's alt text.
"""
from __future__ import annotations

import io

from iscm_atlas.content.figures import AT_RISK_TIMES, MONTHS_AXIS, EvidenceFigure

PALETTE = ("#1f5fa8", "#c8511b", "#2e7d32", "#6a3d9a", "#8c8c8c")  # readable on white, distinct in greyscale order
STYLE = {
    "svg.hashsalt": "iscm-atlas",  # stable element ids: byte-identical builds
    "svg.fonttype": "none",         # text stays text: smaller, searchable, crisp
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _km(ax, figure: EvidenceFigure) -> None:
    for colour, curve in zip(PALETTE, figure.curves):
        months = [0.0] + [s.months for s in curve.steps]
        survival = [1.0] + [s.survival for s in curve.steps]
        lower = [1.0] + [s.lower for s in curve.steps]
        upper = [1.0] + [s.upper for s in curve.steps]
        ax.step(months, survival, where="post", color=colour, linewidth=1.6, label=f"{curve.label} (n = {curve.n})")
        ax.fill_between(months, lower, upper, step="post", color=colour, alpha=0.15, linewidth=0)
        censored = [(s.months, s.survival) for s in curve.steps for _ in range(s.censored)]
        if censored:
            ax.plot(*zip(*censored), linestyle="none", marker="+", markersize=7, color=colour)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, max(max(AT_RISK_TIMES), max(s.months for c in figure.curves for s in c.steps)) * 1.02)
    ax.set_xticks(AT_RISK_TIMES)
    ax.set_xlabel(figure.x_label or MONTHS_AXIS)
    ax.set_ylabel("Probability of survival")
    ax.legend(frameon=False, loc="upper right")
    # Numbers at risk under the axis, one row per curve.
    for row, (colour, curve) in enumerate(zip(PALETTE, figure.curves)):
        y = -0.28 - 0.09 * row
        ax.text(-0.02, y, curve.label, transform=ax.transAxes, ha="right", va="center", color=colour, fontsize=8)
        for moment, count in zip(AT_RISK_TIMES, curve.at_risk):
            ax.text(moment, y, str(count), transform=ax.get_xaxis_transform(), ha="center", va="center", fontsize=8)
    ax.text(-0.02, -0.19, "At risk", transform=ax.transAxes, ha="right", va="center", fontsize=8, fontweight="bold")


def _stacked(ax, figure: EvidenceFigure) -> None:
    groups = list(figure.bars)
    categories = list(next(iter(figure.bars.values())))
    left = [0] * len(groups)
    colours = [PALETTE[-1] if c == "Not reported" else PALETTE[i] for i, c in enumerate(categories)]
    for colour, category in zip(colours, categories):
        values = [figure.bars[g][category] for g in groups]
        ax.barh(groups, values, left=left, color=colour, label=category)
        left = [a + b for a, b in zip(left, values)]
    ax.invert_yaxis()
    ax.set_xlabel("Patients")
    ax.legend(frameon=False, ncol=len(categories), loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=8)


def _bars(ax, figure: EvidenceFigure) -> None:
    series = list(figure.bars.items())
    labels = list(series[0][1])
    width = 0.8 / len(series)
    for i, (colour, (name, values)) in enumerate(zip(PALETTE, series)):
        positions = [x + (i - (len(series) - 1) / 2) * width for x in range(len(labels))]
        ax.bar(positions, [values[k] for k in labels], width=width, color=colour, label=name)
    ax.set_xticks(range(len(labels)), labels, rotation=45 if len(labels) > 8 else 0, ha="right" if len(labels) > 8 else "center")
    ax.set_ylabel("Count")
    if len(series) > 1:
        ax.legend(frameon=False)


def _flow(ax, figure: EvidenceFigure) -> None:
    """PRISMA 2020's boxes and arrows: identification, screening and inclusion down the left, what leaves each stage
    on the right."""
    from matplotlib.patches import FancyBboxPatch

    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")
    rows = figure.rows

    def box(x, y, w, h, text):
        import textwrap

        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.05", facecolor="white", edgecolor=PALETTE[0]))
        lines = [part for line in text.split("\n") for part in textwrap.wrap(line, 44)]
        ax.text(x + w / 2, y + h / 2, "\n".join(lines), ha="center", va="center", fontsize=7.5)

    def arrow(x1, y1, x2, y2):
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1), arrowprops={"arrowstyle": "->", "color": PALETTE[-1]})

    identified, duplicates, screened = rows[0], rows[1], rows[2]
    leaving = [r for r in rows[3:-1]]
    included = rows[-1]
    box(0.3, 8.2, 4.2, 1.4, f"{identified[1]}\n(n = {identified[2]})")
    box(5.5, 8.2, 4.2, 1.4, f"Removed before screening:\nduplicates (n = {duplicates[2]})")
    arrow(4.5, 8.9, 5.5, 8.9)
    box(0.3, 4.6, 4.2, 1.4, f"{screened[1]}\n(n = {screened[2]})")
    arrow(2.4, 8.2, 2.4, 6.0)
    excluded = "\n".join(f"{label.removeprefix('Reports ')}: {n}" for _, label, n in leaving)
    box(5.5, 3.4, 4.2, 3.8, excluded)
    arrow(4.5, 5.3, 5.5, 5.3)
    box(0.3, 0.6, 4.2, 1.4, f"{included[1]}\n(n = {included[2]})")
    arrow(2.4, 4.6, 2.4, 2.0)
    for y, stage in ((8.9, "Identification"), (5.3, "Screening"), (1.3, "Included")):
        ax.text(-0.2, y, stage, rotation=90, ha="right", va="center", fontsize=8, fontweight="bold", color=PALETTE[0])


DRAW = {"km": _km, "stacked": _stacked, "bars": _bars, "flow": _flow}


SIZE_INCHES = {"km": (7.0, 4.6), "stacked": (7.0, 4.2), "bars": (7.0, 4.2), "flow": (7.0, 5.6)}


def svg(figure: EvidenceFigure) -> str:
    """The figure as SVG text: a pure function of the figure (the same bytes on every drawing), so the
    render step redraws a figure only when it changed (iscm_atlas/render/tree.py keeps the last drawings)."""
    import matplotlib  # imported when a figure is drawn: a build whose figures are unchanged never loads it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=SIZE_INCHES[figure.kind])
        DRAW[figure.kind](ax, figure)
        fig.patch.set_facecolor("white")
        fig.tight_layout()
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Title": figure.title,
                                                  "Description": figure.alt})
        plt.close(fig)
    return out.getvalue()


def svgs(figures: list[EvidenceFigure]) -> dict[str, str]:
    """Several figures' SVG by their ids (what the render step draws in the background while pages render)."""
    return {figure.id: svg(figure) for figure in figures}
