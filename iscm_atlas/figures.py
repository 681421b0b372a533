"""The numbers behind each evidence figure, computed from the case records.

Survival estimates come from lifelines' Kaplan-Meier fitter (not a hand-written estimator). Every
figure carries its n, what was left out and why, and the table of the numbers it shows; drawing is
left to plots.py.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

from .model import Dataset, Patient

NOT_REPORTED = "not reported"
POOLED_CAVEAT = ("These are pooled case reports and small series, selected for publication and for treatment; "
                 "a difference between groups is not evidence that a treatment works.")
AT_RISK_TIMES = (0, 6, 12, 18, 24)
MIN_SITE_SURVIVAL_N = 5  # a primary-site page shows its own survival curve from this many patients


@dataclass(frozen=True)
class Step:
    """One row of a Kaplan-Meier life table."""

    months: float
    at_risk: int
    deaths: int
    censored: int
    survival: float
    lower: float
    upper: float


@dataclass(frozen=True)
class Curve:
    """One Kaplan-Meier curve: its life table, the numbers at risk at fixed times, and its median."""

    label: str
    n: int
    events: int
    steps: tuple[Step, ...]
    at_risk: tuple[int, ...]  # at AT_RISK_TIMES
    median: float | None
    median_lower: float | None
    median_upper: float | None


@dataclass(frozen=True)
class EvidenceFigure:
    id: str
    title: str
    caption: str
    alt: str
    n_text: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    kind: str  # "km", "stacked" or "bars"
    curves: tuple[Curve, ...] = ()
    bars: dict = field(default_factory=dict)  # for "stacked"/"bars": what plots.py draws
    caveat: str | None = None


def _finite(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isinf(value)) else float(value)


def kaplan_meier(label: str, patients: list[Patient]) -> Curve:
    """Kaplan-Meier estimate: time = survival in months, event = died (alive: false), censored if alive."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    times = [p.survival_months for p in patients]
    died = [p.alive is False for p in patients]
    fitter = KaplanMeierFitter(alpha=0.05).fit(times, died, label=label)
    survival = fitter.survival_function_[label]
    band = fitter.confidence_interval_survival_function_
    table = fitter.event_table
    steps = tuple(Step(float(t), int(table.loc[t, "at_risk"]), int(table.loc[t, "observed"]), int(table.loc[t, "censored"]),
                       float(survival.loc[t]), float(band.loc[t].iloc[0]), float(band.loc[t].iloc[1]))
                  for t in table.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        median_ci = median_survival_times(fitter.confidence_interval_)
    return Curve(label, len(patients), sum(died), steps,
                 tuple(sum(1 for t in times if t >= moment) for moment in AT_RISK_TIMES),
                 _finite(fitter.median_survival_time_), _finite(median_ci.iloc[0, 0]), _finite(median_ci.iloc[0, 1]))


def median_text(curve: Curve) -> str:
    if curve.median is None:
        return f"{curve.label}: median not reached"
    low = "not estimable" if curve.median_lower is None else f"{curve.median_lower:g}"
    high = "not estimable" if curve.median_upper is None else f"{curve.median_upper:g}"
    return f"{curve.label}: median {curve.median:g} months (95% CI {low} to {high})"


def _km_figure(fid, title, groups: dict[str, list[Patient]], excluded: dict[str, int], caveat) -> EvidenceFigure:
    curves = tuple(kaplan_meier(label, patients) for label, patients in groups.items() if patients)
    left_out = "; ".join(f"{count} {why}" for why, count in excluded.items() if count)
    n_text = (f"n = {sum(c.n for c in curves)} patients ("
              + ", ".join(f"{c.label}: {c.n}, {c.events} deaths" for c in curves) + ")"
              + (f". Left out: {left_out}." if left_out else "."))
    rows = tuple((c.label, f"{s.months:g}", str(s.at_risk), str(s.deaths), str(s.censored), f"{s.survival:.3f}",
                  f"{s.lower:.3f}", f"{s.upper:.3f}") for c in curves for s in c.steps)
    medians = "; ".join(median_text(c) for c in curves)
    at_risk = "; ".join(f"{c.label}: " + ", ".join(f"{n} at {t} months" for t, n in zip(AT_RISK_TIMES, c.at_risk))
                        for c in curves)
    caption = f"{title}. {medians}. Number at risk: {at_risk}."
    alt = f"Kaplan-Meier survival curve{'s' if len(curves) > 1 else ''} over months since diagnosis. {medians}."
    return EvidenceFigure(fid, title, caption, alt, n_text,
                          ("Group", "Months", "At risk", "Deaths", "Censored", "Survival", "95% CI lower", "95% CI upper"),
                          rows, "km", curves, caveat=caveat)


def _with_survival(patients):
    return [p for p in patients if p.survival_months is not None]


def survival_overall(ds: Dataset, patients=None, fid="survival-overall", title="Survival of all patients with reported survival",
                     label="All patients"):
    patients = list(ds.patients if patients is None else patients)
    usable = _with_survival(patients)
    return _km_figure(fid, title, {label: usable},
                      {"without reported survival (e.g. only a group median is given)": len(patients) - len(usable)}, None)


def survival_by_surgery(ds: Dataset) -> EvidenceFigure:
    usable = _with_survival(ds.patients)
    groups = {"Surgery": [p for p in usable if p.surgery is True], "No surgery": [p for p in usable if p.surgery is False]}
    excluded = {"without reported survival": len(ds.patients) - len(usable),
                "with reported survival but surgery not reported": sum(1 for p in usable if p.surgery is None)}
    return _km_figure("survival-by-surgery", "Survival with and without surgery of the metastasis", groups, excluded,
                      POOLED_CAVEAT)


def _outcome_label(ds: Dataset, outcome: str | None) -> str:
    return ds.vocabularies["outcomes"].label_of(outcome) if outcome else "Not reported"


def outcome_by_treatment(ds: Dataset) -> EvidenceFigure:
    outcomes = [t.id for t in ds.vocabularies["outcomes"].terms] + [None]
    labels = [_outcome_label(ds, o) for o in outcomes]
    rows, bars = [], {}
    for treatment, title in (("surgery", "Surgery"), ("radiotherapy", "Radiotherapy"), ("chemotherapy", "Chemotherapy")):
        for given, word in ((True, "yes"), (False, "no"), (None, NOT_REPORTED)):
            group = [p for p in ds.patients if getattr(p, treatment) is given]
            counts = [sum(1 for p in group if p.outcome == o) for o in outcomes]
            rows.append((title, word, *map(str, counts), str(len(group))))
            bars[f"{title}: {word}"] = dict(zip(labels, counts))
    n = len(ds.patients)
    unknown = sum(1 for p in ds.patients if p.outcome is None)
    n_text = f"n = {n} patient records; outcome not reported for {unknown}."
    caption = ("Neurological outcome by treatment received, counted per patient record. Each patient appears once in "
               "each of the three groups of bars.")
    alt = "Stacked bars of neurological outcome (" + ", ".join(labels) + ") for patients with and without surgery, " \
          "radiotherapy and chemotherapy. " + "; ".join(
              f"{r[0]} {r[1]}: " + ", ".join(f"{lab.lower()} {c}" for lab, c in zip(labels, r[2:-1])) for r in rows) + "."
    return EvidenceFigure("outcome-by-treatment", "Neurological outcome by treatment", caption, alt, n_text,
                          ("Treatment", "Given", *labels, "Total"), tuple(rows), "stacked", bars=bars, caveat=POOLED_CAVEAT)


def primary_sites_surgical(ds: Dataset) -> EvidenceFigure:
    labels = ds.vocabularies["primary-sites"]
    counts = {t.label: sum(s.primary_sites.get(t.id, 0) for s in ds.series) for t in labels.terms}
    counts = {k: v for k, v in sorted(counts.items(), key=lambda kv: -kv[1]) if v}
    unreported = sum(s.unreported_sites for s in ds.series)
    if unreported:
        counts["Not reported"] = unreported
    total = sum(s.surgically_treated for s in ds.series)
    rows = tuple((site, str(n)) for site, n in counts.items())
    alt = "Bar chart of surgically treated cases by primary site: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + "."
    return EvidenceFigure("primary-sites-surgical", "Primary sites of the surgically treated cases",
                          "Surgically treated cases by primary tumour site, summed over all series.", alt,
                          f"n = {total} surgically treated cases in {len({s.reference for s in ds.series})} publications; "
                          f"primary site not reported for {unreported}.",
                          ("Primary site", "Cases"), rows, "bars", bars={"Cases": counts})


def by_year(ds: Dataset) -> EvidenceFigure:
    years = sorted({ds.references[r].year for r in {s.reference for s in ds.series} | {p.reference for p in ds.patients}})
    rows, pubs, cases, patients = [], {}, {}, {}
    for year in years:
        refs = {s.reference for s in ds.series if ds.references[s.reference].year == year} | \
               {p.reference for p in ds.patients if ds.references[p.reference].year == year}
        pubs[str(year)] = len(refs)
        cases[str(year)] = sum(s.surgically_treated for s in ds.series if ds.references[s.reference].year == year)
        patients[str(year)] = sum(1 for p in ds.patients if ds.references[p.reference].year == year)
        rows.append((str(year), str(pubs[str(year)]), str(cases[str(year)]), str(patients[str(year)])))
    alt = "Bar chart of publications and cases per year of publication: " + "; ".join(
        f"{r[0]}: {r[1]} publication(s), {r[2]} surgically treated case(s), {r[3]} patient record(s)" for r in rows) + "."
    return EvidenceFigure("by-year", "Publications and cases by year of publication",
                          "Publications with case records, surgically treated cases and individual patient records, by "
                          "year of publication.", alt,
                          f"n = {sum(pubs.values())} publications, {sum(cases.values())} surgically treated cases, "
                          f"{sum(patients.values())} patient records.",
                          ("Year", "Publications", "Surgically treated cases", "Patient records"), tuple(rows), "bars",
                          bars={"Publications": pubs, "Surgically treated cases": cases})


def site_survival(ds: Dataset, site_id: str) -> EvidenceFigure | None:
    patients = [p for p in ds.patients if p.primary_site == site_id]
    if len(_with_survival(patients)) < MIN_SITE_SURVIVAL_N:
        return None
    label = ds.vocabularies["primary-sites"].label_of(site_id)
    return survival_overall(ds, patients, f"survival-site-{site_id}", f"Survival of patients with a {label.lower()} primary",
                            label)


def all_figures(ds: Dataset, site_ids) -> dict[str, EvidenceFigure]:
    figures = [survival_overall(ds), survival_by_surgery(ds), outcome_by_treatment(ds), primary_sites_surgical(ds), by_year(ds)]
    figures += [f for f in (site_survival(ds, s) for s in site_ids) if f]
    return {f.id: f for f in figures}
