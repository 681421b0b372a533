"""Unit tests of figures.py (the numbers behind each evidence figure) and plots.py (what is drawn),
on made-up records; the Kaplan-Meier estimate is compared with a product-limit estimate written here and with
lifelines itself, whose arithmetic content/survival.py follows."""
from __future__ import annotations

from dataclasses import replace

import matplotlib

matplotlib.use("Agg")
import math
from pathlib import Path

import km
import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex
from test_units import REVIEW, by_id, make_ds, patient

from iscm_atlas.content import figures, survival
from iscm_atlas.data.model import Source
from iscm_atlas.formats import plots

ROOT = Path(__file__).resolve().parent.parent


def product_limit(records):
    """Kaplan-Meier by hand (tests/km.py) over model records: a death is alive == False, nothing else."""
    return km.product_limit([p.survival_months for p in records], [p.alive is False for p in records])


def records(*pairs):
    """Patients from (months, alive) pairs."""
    return [patient(f"x-{i}", "gamma-2012", Source("gamma-2012"), survival_months=t, alive=a, primary_site="lung")
            for i, (t, a) in enumerate(pairs)]


def assert_curve_matches(curve, recs):
    steps, median, median_lower, median_upper = product_limit(recs)
    got = [(s.months, s.at_risk, s.deaths, s.censored) for s in curve.steps]
    assert got == [s[:4] for s in steps]
    for step, want in zip(curve.steps, steps):
        assert step.survival == pytest.approx(want[4], abs=1e-9), step
        assert step.lower == pytest.approx(want[5], abs=1e-6), step
        assert step.upper == pytest.approx(want[6], abs=1e-6), step
    assert curve.median == median
    assert (curve.median_lower, curve.median_upper) == (median_lower, median_upper)
    assert curve.n == len(recs)
    assert curve.events == sum(1 for p in recs if p.alive is False)
    assert curve.at_risk == tuple(sum(1 for p in recs if p.survival_months >= m) for m in (0, 6, 12, 18, 24))


CASES = {
    "unknown vital status at 3 months": [(6, False), (12, True), (3, None), (20, False), (8.0, False)],
    "a death and censorings at one time": [(2, False), (4, False), (4, True), (4, None), (7, False), (9, True),
                                           (9, False), (15, False)],
    "fractions of months": [(0.5, False), (2.5, True), (2.5, False), (30, False), (26, None)],
    "all censored": [(3, True), (5, None), (8, True)],
    "one patient who died": [(5, False)],
    "one patient alive": [(12, True)],
    "everyone dies": [(1, False), (2, False), (2, False), (40, False)],
    "boundaries of the at-risk times": [(6, False), (12, True), (5.9, False), (24, False), (30, True), (18, False)],
}


@pytest.mark.parametrize("name", CASES)
def test_kaplan_meier_matches_a_product_limit_estimate(name):
    recs = records(*CASES[name])
    curve = figures.kaplan_meier("label", recs)
    assert curve.label == "label"
    assert_curve_matches(curve, recs)


def test_unknown_vital_status_is_not_a_death():
    curve = figures.kaplan_meier("x", records((3, None), (6, False)))
    assert curve.events == 1
    assert [(s.months, s.deaths, s.censored, s.survival) for s in curve.steps] == [(0, 0, 0, 1.0), (3, 0, 1, 1.0),
                                                                                  (6, 1, 0, 0.0)]
    assert figures.kaplan_meier("x", records((3, None))).median is None


def test_the_small_dataset_by_hand():
    ds = make_ds()
    usable = [p for p in ds.patients if p.survival_months is not None]
    curve = figures.kaplan_meier("x", usable)
    assert [(s.months, s.at_risk, s.deaths, s.censored) for s in curve.steps] == [
        (0, 5, 0, 0), (3, 5, 0, 1), (6, 4, 1, 0), (8, 3, 1, 0), (12, 2, 0, 1), (20, 1, 1, 0)]
    assert [s.survival for s in curve.steps] == pytest.approx([1, 1, 0.75, 0.5, 0.5, 0])
    assert (curve.median, curve.events, curve.at_risk) == (8, 3, (5, 4, 2, 1, 0))


def test_all_censored_has_no_median():
    curve = figures.kaplan_meier("Breast primary", records((3, True), (5, None)))
    assert (curve.median, curve.median_lower, curve.median_upper, curve.events) == (None, None, None, 0)
    assert figures.median_text(curve) == "Breast primary: median not reached"


def test_median_text():
    curve = figures.kaplan_meier("Lung", records((6, False)))
    assert figures.median_text(curve) == "Lung: median 6 months (95% CI 6 to 6)"
    assert figures.median_text(replace(curve, median=8.5, median_lower=None, median_upper=20.0)) == \
        "Lung: median 8.5 months (95% CI not estimable to 20)"
    assert figures.median_text(replace(curve, median=8.0, median_lower=6.0, median_upper=None)) == \
        "Lung: median 8 months (95% CI 6 to not estimable)"


def expected_rows(label, recs):
    steps = product_limit(recs)[0]
    return [(label, f"{t:g}", str(n), str(d), str(c), f"{s:.3f}", f"{lo:.3f}", f"{hi:.3f}") for t, n, d, c, s, lo, hi in steps]


POPULATION = ("5 of 6 patients with a lung (2) or breast (4) primary and reported survival (Table 2 of Rëview R 2010: 4, "
              "including 1 own case of Rëview R 2010; their own publication: 2)")


def one_site_ds():
    """make_ds with its one lung patient with reported survival moved to breast: every curve then holds one primary
    site, so survival with and without surgery is compared (never across sites)."""
    return make_ds(patients=tuple(replace(p, primary_site="breast") if p.id == "gamma-2012-p2" else p
                                  for p in make_ds().patients))


def test_survival_overall():
    ds = make_ds()
    usable = [p for p in ds.patients if p.survival_months is not None]
    fig = figures.survival_overall(ds)
    label = "Pooled sites"  # neither site has five patients with survival: one curve, whose caption names both
    assert (fig.id, fig.kind, fig.caveat) == ("survival-overall", "km", None)
    assert fig.title == "Survival of patients with a lung (1) or breast (4) primary"
    assert fig.population == POPULATION
    assert [c.label for c in fig.curves] == [label]
    assert fig.n_text == ("n = 5 patients (Pooled sites: 5, 3 deaths, 2 censored). "
                          "Left out: 1 without reported survival (e.g. only a group median is given).")
    assert fig.columns == (f"Group of {POPULATION}", "Months", "At risk", "Deaths", "Censored", "Survival",
                           "95% CI lower", "95% CI upper")
    assert list(fig.rows) == expected_rows(label, usable)
    medians = "Pooled sites: median 8 months (95% CI 6 to 20)"
    assert fig.caption == (f"{POPULATION}. Pooled sites: lung (1) and breast (4). {KM}. {medians}. Number at risk: Pooled sites: "
                           f"5 at 0 months, 4 at 6 months, 2 at 12 months, 1 at 18 months, 0 at 24 months. "
                           f"{figures.SURVIVAL_READING}")
    assert fig.alt == f"Kaplan-Meier survival curve of {POPULATION}, over months as reported. {medians}."


def test_survival_overall_of_patients_given_and_nothing_left_out():
    ds = make_ds()
    lung = [p for p in ds.patients if p.id == "gamma-2012-p2"]
    fig = figures.survival_overall(ds, lung, "survival-site-lung")
    assert fig.id == "survival-site-lung"
    assert fig.n_text == "n = 1 patients (Lung primary: 1, 1 deaths, 0 censored)."
    assert fig.title == "Survival of patient with a lung primary"


def test_survival_by_surgery_is_never_compared_across_sites():
    assert figures.survival_by_surgery(make_ds()) is None  # one pooled curve of two sites: no comparison


def test_survival_by_surgery():
    ds = one_site_ds()
    fig = figures.survival_by_surgery(ds)
    yes, no = "Breast primary, surgery", "Breast primary, no surgery"
    assert [c.label for c in fig.curves] == [yes, no]
    p = {x.id: x for x in ds.patients}
    arms = {yes: [p["alpha-1999-p1"], p["review-2010-p1"]], no: [p["alpha-1999-p2"], p["gamma-2012-p2"]]}
    for curve in fig.curves:
        assert_curve_matches(curve, arms[curve.label])
    assert list(fig.rows) == expected_rows(yes, arms[yes]) + expected_rows(no, arms[no])
    population = ("4 of 6 patients with a lung (1) or breast (5) primary and reported survival and surgery (Table 2 of "
                  "Rëview R 2010: 4, including 1 own case of Rëview R 2010; their own publication: 2)")
    assert fig.population == population and fig.id == "survival-by-surgery"
    assert fig.title == "Survival of patients with a breast primary, with and without surgery of the metastasis"
    assert fig.n_text == (f"n = 4 patients ({yes}: 2, 2 deaths, 0 censored, {no}: 2, 1 deaths, 1 censored). Left out: "
                          "1 without reported survival; 1 with reported survival but surgery not reported.")
    assert fig.makeup == (
        f"{yes}: 2 patients from 2 publications (Alpha AB et al. 1999, Rëview R 2010); 0 censored; 1 of the 2 is the "
        "only patient record the atlas holds from their publication. "
        f"{no}: 2 patients from 2 publications (Alpha AB et al. 1999, Gamma G et al. 2012); 1 censored; 0 of the 2 are "
        "the only patient record the atlas holds from their publication.")
    assert fig.caveat.startswith(f"{figures.POOLED_CAVEAT} Single case reports")
    assert "Kaplan-Meier survival curves of" in fig.alt


def test_survival_by_surgery_arm_counts_unknown_vital_status_as_censored():
    ds = one_site_ds()
    p = {x.id: x for x in ds.patients}
    unknown = replace(p["gamma-2012-p2"], alive=None)
    fig = figures.survival_by_surgery(ds, [p["alpha-1999-p1"], p["alpha-1999-p2"], unknown])
    assert "Breast primary, no surgery: 2, 0 deaths, 2 censored" in fig.n_text
    assert "no surgery: 2 patients from 2 publications (Alpha AB et al. 1999, Gamma G et al. 2012); 2 censored" in fig.makeup
    assert "surgery: 1 patient from 1 publication (Alpha AB et al. 1999); 0 censored; 0 of the 1 are" in fig.makeup


def test_survival_by_surgery_needs_two_arms():
    ds = make_ds()
    p = {x.id: x for x in ds.patients}
    assert figures.survival_by_surgery(ds, [p["alpha-1999-p1"], p["review-2010-p1"]]) is None
    assert figures.survival_by_surgery(ds, [p["alpha-1999-p2"], p["gamma-2012-p2"]]) is None
    assert figures.survival_by_surgery(ds, [p["alpha-1999-p1"], replace(p["alpha-1999-p2"], survival_months=None)]) is None
    assert figures.survival_by_surgery(ds, [p["alpha-1999-p1"], p["alpha-1999-p2"]]) is not None


def test_outcome_by_treatment():
    ds = make_ds()
    fig = figures.outcome_by_treatment(ds)
    # worked out from the six records: improvement, no improvement, worsening, not reported, total
    assert list(fig.rows) == [
        ("Surgery", "yes", "2", "1", "0", "0", "3"),
        ("Surgery", "no", "0", "0", "2", "0", "2"),
        ("Surgery", "not reported", "0", "0", "0", "1", "1"),
        ("Radiotherapy", "yes", "1", "0", "2", "1", "4"),
        ("Radiotherapy", "no", "1", "1", "0", "0", "2"),
        # radiotherapy not reported: no patient, no row
        ("Chemotherapy", "yes", "0", "0", "1", "0", "1"),
        ("Chemotherapy", "no", "1", "1", "1", "1", "4"),
        ("Chemotherapy", "not reported", "1", "0", "0", "0", "1"),
    ]
    labels = ("Improvement", "No improvement", "Worsening", "Not reported")
    assert fig.columns[1:] == ("Given", *labels, "Total")
    assert fig.columns[0].startswith("Treatment (6 patients with a lung (2) or breast (4) primary")
    assert fig.bars == {f"{r[0]}: {r[1]}": dict(zip(labels, map(int, r[2:6]))) for r in fig.rows}
    assert "Radiotherapy: not reported" not in fig.bars
    assert fig.n_text == "n = 6 patient records; outcome not reported for 1."
    assert fig.title == "Neurological outcome by treatment, patients with a lung (2) or breast (4) primary"
    assert "Surgery yes: improvement 2, no improvement 1, worsening 0, not reported 0;" in fig.alt
    assert fig.alt.endswith("Chemotherapy not reported: improvement 1, no improvement 0, worsening 0, not reported 0.")
    assert (fig.kind, fig.caveat, fig.id) == ("stacked", figures.POOLED_CAVEAT, "outcome-by-treatment")


def test_primary_sites_surgical():
    ds = make_ds()
    fig = figures.primary_sites_surgical(ds)
    assert fig.rows == (("Breast", "5"), ("Lung", "4"), ("Not reported", "1"))  # 1+3+1, 2+2; alpha lists 3 of 4
    assert fig.bars == {"Cases": {"Breast": 5, "Lung": 4, "Not reported": 1}}
    population = ("10 surgically treated cases in 4 publications (Table 1 of Rëview R 2010: 3, including 1 own case of "
                  "Rëview R 2010; their own publication: 1)")
    assert fig.n_text == f"n = {population}; primary site not reported for 1."
    assert fig.alt == f"Bar chart of primary sites of {population}: Breast 5, Lung 4, Not reported 1."
    assert (fig.kind, fig.columns) == ("bars", (f"Primary site ({population})", "Cases"))
    every_site = make_ds(series=tuple(replace(s, primary_sites={"lung": s.surgically_treated}) for s in ds.series))
    assert figures.primary_sites_surgical(every_site).rows == (("Lung", "10"),)


def test_by_year_has_every_year_first_to_last():
    ds = make_ds()
    fig = figures.by_year(ds)
    expected = {1999: (1, 4, 2), 2004: (1, 3, 1), 2010: (1, 1, 1), 2012: (1, 2, 2)}
    assert [r[0] for r in fig.rows] == [str(y) for y in range(1999, 2013)]
    for row in fig.rows:
        assert tuple(map(int, row[1:])) == expected.get(int(row[0]), (0, 0, 0)), row
    assert fig.bars["Publications"] == {str(y): expected.get(y, (0,))[0] for y in range(1999, 2013)}
    assert fig.bars["Surgically treated cases"] == {str(y): expected.get(y, (0, 0))[1] for y in range(1999, 2013)}
    population = ("4 publications with a surgically treated series or an individual patient record (Tables 1 and 2 of "
                  "Rëview R 2010; their own publications)")
    assert fig.population == population
    assert fig.n_text == f"n = {population}; 10 surgically treated cases, 6 patient records."
    assert fig.alt == (f"Bar chart of {population}, per year of publication: 1999: 1 publication(s), 4 surgically treated "
                       "case(s), 2 patient record(s); 2004: 1 publication(s), 3 surgically treated case(s), 1 patient "
                       "record(s); 2010: 1 publication(s), 1 surgically treated case(s), 1 patient record(s); 2012: 1 "
                       "publication(s), 2 surgically treated case(s), 2 patient record(s).")


def test_by_year_counts_a_publication_with_both_kinds_once_and_a_single_year():
    ds = make_ds()
    one = make_ds(series=(by_id(ds.series, "gamma-2012-s1"),), patients=(by_id(ds.patients, "gamma-2012-p2"),))
    assert figures.by_year(one).rows == (("2012", "1", "2", "1"),)
    assert figures.by_year(make_ds(series=(), patients=())).rows == ()


def test_site_figures_from_five_patients():
    ds = make_ds()
    assert figures.site_figures(ds, "breast") == []  # four breast patients with reported survival
    assert figures.site_figure_ids("breast") == ("survival-site-breast", "survival-by-surgery-site-breast")
    fifth = patient("beta-2004-p2", "beta-2004", Source(REVIEW, 2, 5), primary_site="breast", surgery=False,
                    survival_months=2, alive=False)
    more = make_ds(patients=(*ds.patients, fifth))
    found = figures.site_figures(more, "breast")
    assert [f.id for f in found] == ["survival-site-breast", "survival-by-surgery-site-breast"]
    assert [c.n for c in found[0].curves] == [5]
    assert [c.n for c in found[1].curves] == [2, 2]
    no_arm = make_ds(patients=tuple(replace(p, surgery=True) for p in more.patients))
    assert [f.id for f in figures.site_figures(no_arm, "breast")] == ["survival-site-breast"]
    figs = figures.all_figures(more, ["lung", "breast"])
    assert list(figs) == ["survival-overall", "survival-by-surgery", "outcome-by-treatment", "primary-sites-surgical",
                          "by-year", "survival-site-breast", "survival-by-surgery-site-breast"]
    assert all(f.id == fid for fid, f in figs.items())
    assert list(figures.all_figures(no_arm, [])) == ["survival-overall", "outcome-by-treatment", "primary-sites-surgical",
                                                     "by-year"]


# --- plots.py -------------------------------------------------------------------------------------

@pytest.fixture
def axes():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_km_plot_draws_the_survival_not_the_band(axes):
    fig = figures.survival_by_surgery(one_site_ds())
    plots._km(axes, fig)
    steps = [line for line in axes.get_lines() if line.get_drawstyle() == "steps-post"]
    assert len(steps) == len(fig.curves) == 2
    for colour, line, curve in zip(plots.PALETTE, steps, fig.curves):
        assert list(line.get_xdata()) == [0.0] + [s.months for s in curve.steps]
        assert list(line.get_ydata()) == [1.0] + [s.survival for s in curve.steps]
        assert to_hex(line.get_color()) == colour
        assert line.get_label() == f"{curve.label} (n = {curve.n})"
    assert any(s.lower != s.survival for c in fig.curves for s in c.steps)  # the band differs from the curve
    # the band: one filled area per curve, between the lower and upper limits
    assert len(axes.collections) == 2
    for band, curve in zip(axes.collections, fig.curves):
        ys = {round(float(y), 9) for y in band.get_paths()[0].vertices[:, 1]}
        assert {round(s.lower, 9) for s in curve.steps} <= ys and {round(s.upper, 9) for s in curve.steps} <= ys
        assert to_hex(band.get_facecolor()[0]) == plots.PALETTE[fig.curves.index(curve)]
    # censored patients are marked + on the curve, once each
    marks = [line for line in axes.get_lines() if line.get_marker() == "+"]
    assert len(marks) == 1  # only the no-surgery arm has a censored patient
    assert list(zip(marks[0].get_xdata(), marks[0].get_ydata())) == [(12, 0.5)]  # died at 8 of 2: 0.5
    assert axes.get_ylim() == (0, 1.02)
    assert axes.get_xlim() == pytest.approx((0, 24 * 1.02))
    assert [t.get_text() for t in axes.get_xticklabels()] == ["0", "6", "12", "18", "24"]
    texts = [t.get_text() for t in axes.texts]
    assert texts[0] == fig.curves[0].label and texts[-1] == "At risk"
    assert texts[1:6] == [str(n) for n in fig.curves[0].at_risk]
    assert texts[6] == fig.curves[1].label and texts[7:12] == [str(n) for n in fig.curves[1].at_risk]
    assert [t.get_position()[0] for t in axes.texts[1:6]] == [0, 6, 12, 18, 24]
    assert axes.get_legend() is not None and axes.get_xlabel() == figures.MONTHS_AXIS


def test_km_plot_marks_each_censored_patient_and_widens_for_long_follow_up(axes):
    ds = make_ds()
    recs = records((3, True), (3, None), (40, False), (10, False))
    fig = figures.survival_overall(ds, recs)
    plots._km(axes, fig)
    [marks] = [line for line in axes.get_lines() if line.get_marker() == "+"]
    assert list(zip(marks.get_xdata(), marks.get_ydata())) == [(3, 1.0), (3, 1.0)]
    assert axes.get_xlim() == pytest.approx((0, 40 * 1.02))
    [step] = [line for line in axes.get_lines() if line.get_drawstyle() == "steps-post"]
    assert list(step.get_ydata()) == pytest.approx([1.0, 1.0, 1.0, 0.5, 0.0])


def test_stacked_plot_draws_the_counts(axes):
    fig = figures.outcome_by_treatment(make_ds())
    plots._stacked(axes, fig)
    groups, categories = list(fig.bars), list(next(iter(fig.bars.values())))
    bars = axes.patches
    assert len(bars) == len(groups) * len(categories)
    for i, category in enumerate(categories):
        left = [sum(fig.bars[g][c] for c in categories[:i]) for g in groups]
        drawn = bars[i * len(groups):(i + 1) * len(groups)]
        assert [b.get_width() for b in drawn] == [fig.bars[g][category] for g in groups]
        assert [b.get_x() for b in drawn] == left
        colour = plots.PALETTE[-1] if category == "Not reported" else plots.PALETTE[i]
        assert {to_hex(b.get_facecolor()) for b in drawn} == {colour}
    assert [t.get_text() for t in axes.get_yticklabels()] == groups
    assert axes.yaxis_inverted()
    assert [t.get_text() for t in axes.get_legend().get_texts()] == categories
    assert axes.get_xlabel() == "Patients"


def test_bar_plots_draw_the_counts(axes):
    fig = figures.by_year(make_ds())
    plots._bars(axes, fig)
    labels = list(fig.bars["Publications"])
    names = ["Publications", "Surgically treated cases", "Patient records"]
    heights = [b.get_height() for b in axes.patches]
    assert heights == [v for name in names for v in fig.bars[name].values()]
    width = 0.8 / 3  # three bars side by side in each year's slot of 0.8
    centres = [b.get_x() + b.get_width() / 2 for b in axes.patches]
    assert centres == pytest.approx([x + offset for offset in (-width, 0, width) for x in range(len(labels))])
    assert [b.get_width() for b in axes.patches] == pytest.approx([width] * len(heights))
    assert [t.get_text() for t in axes.get_xticklabels()] == labels
    assert {t.get_rotation() for t in axes.get_xticklabels()} == {45}  # 14 years: slanted
    assert [t.get_text() for t in axes.get_legend().get_texts()] == names
    for i in range(3):
        assert {to_hex(b.get_facecolor()) for b in axes.patches[i * len(labels):(i + 1) * len(labels)]} == {plots.PALETTE[i]}
    assert axes.get_ylabel() == "Count"


def test_single_series_bars_have_no_legend_and_upright_labels(axes):
    fig = figures.primary_sites_surgical(make_ds())
    plots._bars(axes, fig)
    assert [b.get_height() for b in axes.patches] == [5, 4, 1]
    assert [b.get_x() + b.get_width() / 2 for b in axes.patches] == pytest.approx([0, 1, 2])
    assert [b.get_width() for b in axes.patches] == pytest.approx([0.8] * 3)
    assert [t.get_text() for t in axes.get_xticklabels()] == ["Breast", "Lung", "Not reported"]
    assert {t.get_rotation() for t in axes.get_xticklabels()} == {0}
    assert axes.get_legend() is None


def test_svg_is_the_same_bytes_on_every_drawing():
    fig = figures.primary_sites_surgical(make_ds())
    text = plots.svg(fig)
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert f"<dc:title>{fig.title}</dc:title>" in text
    assert "Breast" in text and "Not reported" in text  # text stays text (svg.fonttype none)
    assert plots.svg(fig) == text  # the render step may keep a drawing for as long as its figure is unchanged


def test_every_kind_draws(monkeypatch):
    ds = make_ds()
    for fig in (figures.survival_overall(ds), figures.outcome_by_treatment(ds), figures.by_year(ds)):
        text = plots.svg(fig)
        assert "<svg" in text and fig.title.replace("&", "&amp;") in text


# --- wording and order a reader sees ----------------------------------------------------------------

KM = ("Kaplan-Meier (product-limit) estimates, computed by the atlas from the patient records; 95% confidence intervals "
      "from Greenwood's variance on the log-log scale (exponential Greenwood), as lifelines computes them")


def test_survival_by_surgery_caption_and_alt():
    ds = one_site_ds()
    fig = figures.survival_by_surgery(ds)
    yes, no = "Breast primary, surgery", "Breast primary, no surgery"
    # by hand (product_limit): deaths at 6 and 20 of 2; a death at 8 and a censoring at 12
    medians = f"{yes}: median 6 months (95% CI 6 to 20); {no}: median 8 months (95% CI 8 to not estimable)"
    assert fig.caption == (f"{fig.population}. {KM}. {medians}. Number at risk: {yes}: 2 at 0 months, 2 at 6 months, 1 at 12 "
                           f"months, 1 at 18 months, 0 at 24 months; {no}: 2 at 0 months, 2 at 6 months, 1 at 12 months, "
                           f"0 at 18 months, 0 at 24 months. {figures.SURVIVAL_READING}")
    assert fig.alt == f"Kaplan-Meier survival curves of {fig.population}, over months as reported. {medians}."
    assert fig.columns[0] == f"Group of {fig.population}"
    assert fig.caveat.endswith(
        f"{figures.POOLED_CAVEAT} Single case reports are published selectively (publication bias), and patients chosen "
        "for surgery differ from the others (selection bias); a patient had to live until the operation to be counted in "
        "the surgery arm (immortal-time bias): the curves describe these reports and do not measure what surgery does. "
        "Arms are compared only within a primary-site group.")


def test_arms_list_publications_by_year():
    ds = one_site_ds()
    p = {x.id: x for x in ds.patients}
    arm = [p["gamma-2012-p2"], replace(p["review-2010-p1"], surgery=False)]
    fig = figures.survival_by_surgery(ds, [p["alpha-1999-p1"], *arm])
    assert "no surgery: 2 patients from 2 publications (Rëview R 2010, Gamma G et al. 2012);" in fig.makeup


def test_curve_label_names_the_sites_of_the_patients_drawn():
    ds = make_ds()
    p = {x.id: x for x in ds.patients}
    left_out = replace(p["gamma-2012-p1"], primary_site="kidney")
    fig = figures.survival_overall(ds, [p["alpha-1999-p1"], left_out])
    assert [c.label for c in fig.curves] == ["Breast primary"]
    assert fig.title == "Survival of patient with a breast primary"


def test_outcome_by_treatment_caption_and_alt():
    ds = make_ds()
    fig = figures.outcome_by_treatment(ds)
    population = ("6 patients with a lung (2) or breast (4) primary (Table 2 of Rëview R 2010: 4, including 1 own case of "
                  "Rëview R 2010; their own publication: 2)")
    assert fig.population == population
    assert fig.caption == (f"{population}. Counted per patient record; each patient appears once in each treatment's "
                           "group of bars. A treatment group with no patient is not drawn.")
    rows = ("Surgery yes: improvement 2, no improvement 1, worsening 0, not reported 0; "
            "Surgery no: improvement 0, no improvement 0, worsening 2, not reported 0; "
            "Surgery not reported: improvement 0, no improvement 0, worsening 0, not reported 1; "
            "Radiotherapy yes: improvement 1, no improvement 0, worsening 2, not reported 1; "
            "Radiotherapy no: improvement 1, no improvement 1, worsening 0, not reported 0; "
            "Chemotherapy yes: improvement 0, no improvement 0, worsening 1, not reported 0; "
            "Chemotherapy no: improvement 1, no improvement 1, worsening 1, not reported 1; "
            "Chemotherapy not reported: improvement 1, no improvement 0, worsening 0, not reported 0.")
    assert fig.alt == ("Stacked bars of neurological outcome (Improvement, No improvement, Worsening, Not reported) of "
                       f"{population}, by whether they had surgery, radiotherapy and chemotherapy. {rows}")


def test_an_empty_group_between_others_is_left_out_alone():
    ds = make_ds()
    nobody_given = make_ds(patients=tuple(replace(p, chemotherapy=False if p.chemotherapy else p.chemotherapy)
                                          for p in ds.patients))
    rows = [r[:2] for r in figures.outcome_by_treatment(nobody_given).rows if r[0] == "Chemotherapy"]
    assert rows == [("Chemotherapy", "no"), ("Chemotherapy", "not reported")]


def test_primary_sites_wording_and_order_by_count():
    ds = make_ds()
    fig = figures.primary_sites_surgical(ds)
    population = ("10 surgically treated cases in 4 publications (Table 1 of Rëview R 2010: 3, including 1 own case of "
                  "Rëview R 2010; their own publication: 1)")
    assert (fig.title, fig.caption, fig.population) == ("Primary sites of the surgically treated cases",
                                                        f"{population}, summed over all series.", population)
    lung_first = make_ds(series=(replace(ds.series[0], surgically_treated=6, primary_sites={"breast": 1, "lung": 3, "kidney": 2}),))
    assert figures.primary_sites_surgical(lung_first).rows == (("Lung", "3"), ("Kidney", "2"), ("Breast", "1"))


def test_by_year_wording():
    fig = figures.by_year(make_ds())
    assert fig.title == "Publications and cases by year of publication"
    assert fig.caption == (f"{fig.population}. A publication with both a series and patient records counts once. These "
                           "are counts of what was published and collected, computed by the atlas: they do not measure "
                           "how often the disease occurs.")
    assert fig.columns == ("Year", f"Publications ({fig.population})", "Surgically treated cases", "Patient records")
    assert list(fig.bars) == ["Publications", "Surgically treated cases", "Patient records"]  # the legend: all three
    assert (fig.kind, fig.id) == ("bars", "by-year")


def test_by_year_counts_publications_of_one_year_apart():
    ds = make_ds()
    delta = replace(ds.references["gamma-2012"], id="delta-2012", csl={**ds.references["gamma-2012"].csl, "id": "delta-2012"})
    extra = replace(by_id(ds.patients, "gamma-2012-p2"), id="delta-2012-p1", reference="delta-2012")
    fig = figures.by_year(make_ds(references={**ds.references, "delta-2012": delta},
                                  series=ds.series[:1], patients=(*ds.patients, extra)))
    rows = {r[0]: r[1:] for r in fig.rows}
    assert rows["2012"] == ("2", "0", "3")  # gamma and delta; gamma's series left out here; three patient records
    assert rows["2010"] == ("1", "0", "1")
    assert "2004: 1 publication(s), 0 surgically treated case(s), 1 patient record(s)" in fig.alt
    assert "2012: 2 publication(s), 0 surgically treated case(s), 3 patient record(s)" in fig.alt


# --- plots: the details a reader sees -----------------------------------------------------------------

def test_km_band_follows_the_steps_from_one(axes):
    fig = figures.survival_overall(make_ds())
    plots._km(axes, fig)
    [band] = axes.collections
    vertices = {(round(float(x), 9), round(float(y), 9)) for x, y in band.get_paths()[0].vertices}
    steps = fig.curves[0].steps
    assert {y for x, y in vertices if x == 0} == {1.0}
    # a step band keeps each limit until the next time: (next time, this limit) is a corner of the band
    for this, nxt in zip(steps, steps[1:]):
        assert (nxt.months, round(this.lower, 9)) in vertices and (nxt.months, round(this.upper, 9)) in vertices
    [marks] = [line for line in axes.get_lines() if line.get_marker() == "+"]
    assert marks.get_linestyle() == "None"  # censored patients are marks, not a line
    assert to_hex(marks.get_color()) == plots.PALETTE[0]
    assert axes.get_ylabel() == "Probability of survival"
    assert axes.get_legend().get_texts()[0].get_text() == "Pooled sites (n = 5)"


def test_km_numbers_at_risk_sit_under_their_months(axes):
    fig = figures.survival_by_surgery(one_site_ds())
    plots._km(axes, fig)
    texts = axes.texts
    labels = [texts[0], texts[6]]
    counts = [texts[1:6], texts[7:12]]
    heading = texts[-1]
    for row, (label, numbers, colour) in enumerate(zip(labels, counts, plots.PALETTE)):
        assert label.get_transform() is axes.transAxes
        assert label.get_position() == pytest.approx((-0.02, -0.28 - 0.09 * row))
        assert (label.get_ha(), label.get_va(), to_hex(label.get_color())) == ("right", "center", colour)
        for moment, text in zip(figures.AT_RISK_TIMES, numbers):
            assert text.get_transform() is axes.get_xaxis_transform()  # x in months, y below the axis
            assert text.get_position() == pytest.approx((moment, -0.28 - 0.09 * row))
            assert (text.get_ha(), text.get_va()) == ("center", "center")
    assert heading.get_text() == "At risk" and heading.get_transform() is axes.transAxes
    assert heading.get_position() == pytest.approx((-0.02, -0.19))
    assert (heading.get_ha(), heading.get_va(), heading.get_fontweight()) == ("right", "center", "bold")


def bars_figure(n: int):
    labels = [f"L{i}" for i in range(n)]
    return figures.EvidenceFigure("x", "X", "", "", "", (), (), "bars", bars={"Cases": {k: i for i, k in enumerate(labels)}})


@pytest.mark.parametrize("n, rotation, align", [(8, 0, "center"), (9, 45, "right")])
def test_bar_labels_slant_from_nine(axes, n, rotation, align):
    plots._bars(axes, bars_figure(n))
    assert {t.get_rotation() for t in axes.get_xticklabels()} == {rotation}
    assert {t.get_ha() for t in axes.get_xticklabels()} == {align}


def test_stacked_legend_sits_above_in_one_row(axes):
    fig = figures.outcome_by_treatment(make_ds())
    plots._stacked(axes, fig)
    legend = axes.get_legend()
    assert legend._ncols == 4 and legend._loc == 8  # lower center, of a box anchored at the top of the axes


def test_svg_size_and_background():
    fig = figures.survival_overall(make_ds())
    text = plots.svg(fig)
    assert 'width="504pt" height="331.2pt"' in text  # 7.0 x 4.6 inches
    assert "fill: #ffffff" in text.split("</g>")[0]  # the figure's own white background comes first
    assert 'width="504pt" height="302.4pt"' in plots.svg(figures.by_year(make_ds()))  # 7.0 x 4.2 inches
    assert plt.get_fignums() == []  # every drawing is closed


def test_km_band_is_translucent_and_legends_unboxed(axes):
    """The band is drawn after the curve: it must stay see-through (and edgeless) or it hides the curve."""
    fig = figures.survival_overall(make_ds())
    plots._km(axes, fig)
    [band] = axes.collections
    assert band.get_alpha() == pytest.approx(0.15) and list(band.get_linewidth()) == [0]
    legend = axes.get_legend()
    assert legend.get_frame_on() is False and legend._loc == 1  # upper right, away from the falling curves


def test_stacked_and_bar_legends_sit_outside_the_bars():
    fig, ax = plt.subplots()
    try:
        plots._stacked(ax, figures.outcome_by_treatment(make_ds()))
        legend = ax.get_legend()
        anchor = legend.get_bbox_to_anchor().transformed(ax.transAxes.inverted())
        assert (anchor.x0, anchor.y0) == pytest.approx((0.5, 1.0)) and legend.get_frame_on() is False
        ax.clear()
        plots._bars(ax, figures.by_year(make_ds()))
        assert ax.get_legend().get_frame_on() is False
    finally:
        plt.close(fig)


def lifelines_curve(label, recs) -> figures.Curve:
    """The same curve from lifelines itself (KaplanMeierFitter), the library the atlas's arithmetic follows."""
    import warnings

    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    times = [p.survival_months for p in recs]
    died = [p.alive is False for p in recs]
    fitter = KaplanMeierFitter(alpha=0.05).fit(times, died, label=label)
    table, band = fitter.event_table, fitter.confidence_interval_survival_function_
    steps = tuple(figures.Step(float(t), int(table.loc[t, "at_risk"]), int(table.loc[t, "observed"]),
                               int(table.loc[t, "censored"]), float(fitter.survival_function_[label].loc[t]),
                               float(band.loc[t].iloc[0]), float(band.loc[t].iloc[1])) for t in table.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        medians = median_survival_times(fitter.confidence_interval_)

    def finite(value):
        return None if math.isinf(value) else float(value)

    return figures.Curve(label, len(recs), sum(died), steps, tuple(sum(1 for t in times if t >= m) for m in figures.AT_RISK_TIMES),
                         finite(fitter.median_survival_time_), finite(medians.iloc[0, 0]), finite(medians.iloc[0, 1]))


@pytest.mark.parametrize("name", CASES)
def test_the_estimate_is_lifelines_own_to_the_last_bit(name):
    recs = records(*CASES[name])
    assert figures.kaplan_meier("label", recs) == lifelines_curve("label", recs)


follow_up = st.sampled_from([0, 0.5, 1, 2, 3, 4, 6, 7.5, 12, 18, 24, 36, 60])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(follow_up, st.sampled_from([False, False, True, None])), min_size=1, max_size=40))
def test_any_records_give_lifelines_own_estimate(pairs):
    """Ties, deaths at time 0, everyone censored, everyone dead: the same numbers as lifelines, bit for bit."""
    recs = records(*pairs)
    assert figures.kaplan_meier("x", recs) == lifelines_curve("x", recs)


def test_every_curve_of_the_real_data_is_lifelines_own(monkeypatch):
    from iscm_atlas.content.indexes import used_sites
    from iscm_atlas.data.dataset import load_dataset

    estimated = []
    estimate = figures.kaplan_meier

    def spy(label, patients):
        estimated.append((estimate(label, patients), label, patients))
        return estimated[-1][0]

    monkeypatch.setattr(figures, "kaplan_meier", spy)
    ds = load_dataset(ROOT / "data").dataset
    figures.all_figures(ds, used_sites(ds))
    assert estimated
    for curve, label, patients in estimated:
        assert curve == lifelines_curve(label, patients), label


@pytest.mark.parametrize("name", CASES)
def test_a_kept_curve_is_the_curve_computed(name):
    """A curve read back from the cache file (JSON) is equal to the one computed, field by field."""
    import json

    recs = records(*CASES[name])
    first = figures.SurvivalMemo()
    fresh = first.curve("label", recs)
    assert fresh == figures.kaplan_meier("label", recs) and first.changed
    kept = figures.SurvivalMemo(json.loads(json.dumps(first.used)))
    assert kept.curve("label", recs) == fresh and not kept.changed
    assert kept.curve("another label", recs).label == "another label" and kept.changed


def test_the_interval_uses_lifelines_z():
    from lifelines.utils import inv_normal_cdf

    assert inv_normal_cdf(0.975) == survival.Z95


def test_figures_drawn_in_a_second_process_are_the_figures_drawn_here():
    """The render step draws in a forked child while pages render (iscm_atlas/background.py): the same bytes."""
    from iscm_atlas.background import Background
    from iscm_atlas.content.indexes import used_sites

    ds = make_ds()
    drawn_here = plots.svgs(list(figures.all_figures(ds, used_sites(ds)).values()))
    assert drawn_here and Background(plots.svgs, list(figures.all_figures(ds, used_sites(ds)).values())).result() == drawn_here
