"""The numbers behind each evidence figure, computed from the case records.

Survival estimates are Kaplan-Meier's, computed as lifelines computes them (content/survival.py says why not
by lifelines itself, and the tests check them against it). Every
figure carries its n, what was left out and why, and the table of the numbers it shows; drawing is
left to plots.py.
"""
from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from iscm_atlas.content.population import (
    describe_patients,
    describe_series,
    plural,
    short_site_label,
    site_list,
    site_phrase,
    sources_phrase,
)
from iscm_atlas.content.survival import product_limit
from iscm_atlas.content.wording import NOT_REPORTED
from iscm_atlas.data.model import Dataset, Patient

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
    population: str = ""  # whose records the figure counts, computed from them (iscm_atlas/content/population.py)
    makeup: str = ""  # what each group is made of (its publications): a list that grows with the records
    x_label: str = ""  # the horizontal axis of a survival figure (its time origin, as the records state it)


class SurvivalMemo:
    """Kaplan-Meier curves already computed, by their label, times and events, so that a build whose survival
    records did not change does not import numpy (a tenth of a second, 6% of a whole build at 1x) to compute
    them again. One per build, filled from and saved to a cache file outside the repository (render/build.py)."""

    def __init__(self, entries: dict | None = None):
        self.entries = dict(entries or {})
        self.used: dict = {}  # the curves this build showed: what the next build keeps

    def curve(self, label: str, patients: list[Patient]) -> Curve:
        key = json.dumps([label, [[p.survival_months, p.alive is False] for p in patients]])
        saved = self.entries.get(key)
        if saved is None:
            curve = kaplan_meier(label, patients)
            self.used[key] = dataclasses.asdict(curve)
            return curve
        self.used[key] = saved
        return Curve(**{**saved, "steps": tuple(Step(**step) for step in saved["steps"]), "at_risk": tuple(saved["at_risk"])})

    @property
    def changed(self) -> bool:
        return self.used.keys() != self.entries.keys()


def kaplan_meier(label: str, patients: list[Patient]) -> Curve:
    """Kaplan-Meier estimate: time = survival in months, event = died (alive: false), censored if alive."""
    times = [p.survival_months for p in patients]
    table = product_limit(times, [p.alive is False for p in patients])
    steps = tuple(Step(*row) for row in zip(table.times, table.at_risk, table.deaths, table.censored, table.survival,
                                              table.lower, table.upper))
    return Curve(label, len(patients), sum(table.deaths), steps,
                 tuple(sum(1 for t in times if t >= moment) for moment in AT_RISK_TIMES),
                 table.median, table.median_lower, table.median_upper)


def median_text(curve: Curve) -> str:
    if curve.median is None:
        return f"{curve.label}: median not reached"
    low = "not estimable" if curve.median_lower is None else f"{curve.median_lower:g}"
    high = "not estimable" if curve.median_upper is None else f"{curve.median_upper:g}"
    return f"{curve.label}: median {curve.median:g} months (95% CI {low} to {high})"


SURVIVAL_READING = ("Survival is in months as the records give it; they do not state from when it is counted "
                    "(diagnosis, first symptom or treatment). The atlas reads a bare figure as death at that time and "
                    "“alive at N” as alive at last follow-up (censored at N months, marked +).")
MONTHS_AXIS = "Months as recorded (start not stated in the records)"
MONTHS_AXIS_MIXED = "Months as recorded (time origin per record: see caption)"
OTHER_SITES = "Other sites"


def _origin_counts(ds: Dataset, patients: list[Patient]) -> list[tuple[str, int]]:
    """(time origin label, patients) in vocabulary order, "not stated" last."""
    counts = Counter(p.time_origin for p in patients)
    order = [t.id for t in ds.vocabularies["time-origins"].terms if t.id != "not-stated"] + ["not-stated"]
    labels = {t.id: t.label.lower() for t in ds.vocabularies["time-origins"].terms}
    labels["not-stated"] = "not stated"
    return [(labels[o], counts[o]) for o in order if counts[o]]


def survival_reading(ds: Dataset, groups: dict[str, list[Patient]]) -> str:
    """How the records' months are read: from when each curve's records count them, as their publications state
    it, and which curves pool records of different origins (with how many of each)."""
    shown = [p for members in groups.values() for p in members]
    if all(p.time_origin == "not-stated" for p in shown):
        return SURVIVAL_READING
    per_curve = []
    mixed = []
    for label, members in groups.items():
        origins = _origin_counts(ds, members)
        per_curve.append(f"{label}: " + ", ".join(f"{origin} ({n})" for origin, n in origins))
        if len(origins) > 1:
            mixed.append(label)
    pooled = (f" {' and '.join(mixed)} {'pools' if len(mixed) == 1 else 'pool'} records counted from different "
              "events, as listed: their times are not all measured from the same start." if mixed else "")
    return (f"Survival is in months as the records give it, counted from what each publication states: "
            f"{'; '.join(per_curve)}.{pooled} The atlas reads a bare figure as death at that time and “alive at N” as "
            "alive at last follow-up (censored at N months, marked +).")


def months_axis(patients: list[Patient]) -> str:
    return MONTHS_AXIS if all(p.time_origin == "not-stated" for p in patients) else MONTHS_AXIS_MIXED


def site_groups(ds: Dataset, patients: list[Patient]) -> dict[str, list[Patient]]:
    """The curves survival is shown in: each primary site with MIN_SITE_SURVIVAL_N or more of these patients is its
    own group; the other sites (an unreported site among them) are one group, never merged into a site's curve.
    That group is "<Site> primary" when it holds one site, "Other sites" beside site groups, else "Pooled sites"."""
    counts = Counter(p.primary_site for p in patients)
    order = [t.id for t in ds.vocabularies["primary-sites"].terms] + [None]
    own = [s for s in order if s is not None and counts[s] >= MIN_SITE_SURVIVAL_N]
    groups = {short_site_label(ds, [p for p in patients if p.primary_site == s]): [p for p in patients if p.primary_site == s]
              for s in own}
    rest = [p for p in patients if p.primary_site not in own]
    if rest:
        single = len({p.primary_site for p in rest}) == 1
        label = short_site_label(ds, rest) if single else (OTHER_SITES if groups else "Pooled sites")
        groups[label] = rest
    return groups


def _group_sites(ds: Dataset, groups: dict[str, list[Patient]]) -> str:
    """What a pooled group holds: "Other sites: kidney (1) and prostate (1)"; "" where every group is one site."""
    parts = []
    for label, members in groups.items():
        if label in (OTHER_SITES, "Pooled sites"):
            parts.append(f"{label}: {site_list(ds, members)}")
    return "; ".join(parts)


ESTIMATOR = ("Kaplan-Meier (product-limit) estimates, computed by the atlas from the patient records; 95% confidence "
             "intervals from Greenwood's variance on the log-log scale (exponential Greenwood), as lifelines computes them")


def _km_figure(fid, title, population, groups: dict[str, list[Patient]], excluded: dict[str, int], caveat,
               header: str, estimate: Callable | None = None, makeup: str = "", ds: Dataset | None = None) -> EvidenceFigure:
    curves = tuple((estimate or kaplan_meier)(label, patients) for label, patients in groups.items() if patients)
    shown = [p for members in groups.values() for p in members]
    left_out = "; ".join(f"{count} {why}" for why, count in excluded.items() if count)
    n_text = (f"n = {sum(c.n for c in curves)} patients ("
              + ", ".join(f"{c.label}: {c.n}, {c.events} deaths, {c.n - c.events} censored" for c in curves) + ")"
              + (f". Left out: {left_out}." if left_out else "."))
    rows = tuple((c.label, f"{s.months:g}", str(s.at_risk), str(s.deaths), str(s.censored), f"{s.survival:.3f}",
                  f"{s.lower:.3f}", f"{s.upper:.3f}") for c in curves for s in c.steps)
    medians = "; ".join(median_text(c) for c in curves)
    at_risk = "; ".join(f"{c.label}: " + ", ".join(f"{n} at {t} months" for t, n in zip(AT_RISK_TIMES, c.at_risk))
                        for c in curves)
    pooled = _group_sites(ds, groups) if ds is not None else ""
    reading = survival_reading(ds, groups) if ds is not None else SURVIVAL_READING
    caption = (f"{population}. {f'{pooled}. ' if pooled else ''}{ESTIMATOR}. {medians}. Number at risk: {at_risk}. "
               f"{reading}")
    alt = (f"Kaplan-Meier survival curve{'s' if len(curves) > 1 else ''} of {population}, over months as reported. "
           f"{medians}.")
    return EvidenceFigure(fid, title, caption, alt, n_text,
                          (header, "Months", "At risk", "Deaths", "Censored", "Survival", "95% CI lower", "95% CI upper"),
                          rows, "km", curves, caveat=caveat, population=population, makeup=makeup,
                          x_label=months_axis(shown))


def _with_survival(patients):
    return [p for p in patients if p.survival_months is not None]


def survival_overall(ds: Dataset, patients=None, fid="survival-overall", estimate=None) -> EvidenceFigure:
    """Kaplan-Meier curves of the patients given (all patient records by default), one per primary-site group."""
    patients = list(ds.patients if patients is None else patients)
    usable = _with_survival(patients)
    groups = site_groups(ds, usable) if usable else {short_site_label(ds, patients): []}
    population = describe_patients(ds, usable, patients, "and reported survival")
    title = f"Survival of {site_phrase(ds, usable or patients)}" + ("" if len(groups) == 1 else ", by primary-site group")
    return _km_figure(fid, title, population, groups,
                      {"without reported survival (e.g. only a group median is given)": len(patients) - len(usable)},
                      None, f"Group of {population}", estimate, ds=ds)


def _arm_text(ds: Dataset, name: str, arm: list[Patient]) -> str:
    """Which publications make up one arm, how many of its patients are censored, and how many are
    the only patient their publication reports (single case reports)."""
    refs = sorted({p.reference for p in arm}, key=lambda r: (ds.references[r].year or 0, r))
    single = sum(1 for p in arm if len(ds.patients_by_reference[p.reference]) == 1)
    censored = sum(1 for p in arm if p.alive is not False)
    cited = ", ".join(ds.references[r].citation_label for r in refs)
    only = (f"{single} of the {len(arm)} {'is' if single == 1 else 'are'} the only patient record the atlas holds "
            "from their publication")
    return f"{name}: {plural(len(arm), 'patient')} from {plural(len(refs), 'publication')} ({cited}); {censored} censored; {only}"


def survival_by_surgery(ds: Dataset, patients=None, fid="survival-by-surgery", estimate=None) -> EvidenceFigure | None:
    """Curves of the patients with and without surgery of the metastasis, compared within each primary-site group
    that has both arms (never across groups), and what each arm is made of. None when no group has both arms."""
    patients = list(ds.patients if patients is None else patients)
    usable = _with_survival(patients)
    known = [p for p in usable if p.surgery is not None]
    groups, one_armed = {}, []
    for label, members in site_groups(ds, usable).items():  # the curves of the survival figure, each split by surgery
        arms = {"surgery": [p for p in members if p.surgery is True],
                "no surgery": [p for p in members if p.surgery is False]}
        if all(arms.values()) and len({p.primary_site for p in members}) == 1:
            groups.update({f"{label}, {name}": arm for name, arm in arms.items()})
        else:  # one arm only, or several sites pooled: comparing its arms would compare sites
            one_armed.append(label)
    if not groups:
        return None
    compared = [p for arm in groups.values() for p in arm]
    excluded = {"without reported survival": len(patients) - len(usable),
                "with reported survival but surgery not reported": len(usable) - len(known),
                f"in a group not compared ({', '.join(one_armed)}: one arm only, or several sites pooled)":
                    len(known) - len(compared)}
    population = describe_patients(ds, compared, patients, "and reported survival and surgery")
    makeup = ". ".join(_arm_text(ds, name, arm) for name, arm in groups.items()) + "."
    caveat = (f"{POOLED_CAVEAT} Single case reports are published selectively (publication bias), and "
              "patients chosen for surgery differ from the others (selection bias); a patient had to live until the "
              "operation to be counted in the surgery arm (immortal-time bias): the curves describe these reports and "
              "do not measure what surgery does. Arms are compared only within a primary-site group.")
    title = (f"Survival of {site_phrase(ds, compared)}, with and without surgery of the metastasis"
             if len({k.rsplit(', ', 1)[0] for k in groups}) == 1
             else "Survival with and without surgery of the metastasis, within each primary-site group")
    return _km_figure(fid, title, population, groups, excluded, caveat, f"Group of {population}", estimate, makeup, ds)


def _outcome_label(ds: Dataset, outcome: str | None) -> str:
    return ds.vocabularies["outcomes"].label_of(outcome) if outcome else "Not reported"


def outcome_by_treatment(ds: Dataset) -> EvidenceFigure:
    """Outcome counts per treatment given, not given and not reported; a group with no patient is left out."""
    outcomes = [t.id for t in ds.vocabularies["outcomes"].terms] + [None]
    labels = [_outcome_label(ds, o) for o in outcomes]
    patients = list(ds.patients)
    population = describe_patients(ds, patients)
    rows, bars = [], {}
    for treatment, title in (("surgery", "Surgery"), ("radiotherapy", "Radiotherapy"), ("chemotherapy", "Chemotherapy")):
        for given, word in ((True, "yes"), (False, "no"), (None, NOT_REPORTED)):
            group = [p for p in patients if p.reported(treatment) is given]
            if not group:
                continue
            counts = [sum(1 for p in group if p.reported("outcome") == o) for o in outcomes]
            rows.append((title, word, *map(str, counts), str(len(group))))
            bars[f"{title}: {word}"] = dict(zip(labels, counts))
    unknown = sum(1 for p in patients if p.outcome is None)
    n_text = f"n = {len(patients)} patient records; outcome not reported for {unknown}."
    title = f"Neurological outcome by treatment, {site_phrase(ds, patients)}"
    doubtful = {t: sum(1 for p in patients if t in p.doubtful) for t in ("surgery", "radiotherapy", "chemotherapy")}
    flagged = "; ".join(f"{t}: {n}" for t, n in doubtful.items() if n)
    caption = (f"{population}. Counted per patient record; each patient appears once in each treatment's "
               "group of bars. A treatment group with no patient is not drawn."
               + (f" Values the source prints but that look misprinted (a row that may be shifted by a column) are "
                  f"counted as not reported ({flagged}); the tables show them as printed, flagged." if flagged else ""))
    alt = ("Stacked bars of neurological outcome (" + ", ".join(labels) + f") of {population}, by whether they had "
           "surgery, radiotherapy and chemotherapy. " + "; ".join(
               f"{r[0]} {r[1]}: " + ", ".join(f"{lab.lower()} {c}" for lab, c in zip(labels, r[2:-1])) for r in rows) + ".")
    return EvidenceFigure("outcome-by-treatment", title, caption, alt, n_text,
                          (f"Treatment ({population})", "Given", *labels, "Total"), tuple(rows), "stacked", bars=bars,
                          caveat=POOLED_CAVEAT, population=population)


def primary_sites_surgical(ds: Dataset) -> EvidenceFigure:
    labels = ds.vocabularies["primary-sites"]
    counts = {t.label: sum(s.primary_sites.get(t.id, 0) for s in ds.series) for t in labels.terms}
    counts = {k: v for k, v in sorted(counts.items(), key=lambda kv: -kv[1]) if v}
    unreported = sum(s.unreported_sites for s in ds.series)
    if unreported:
        counts["Not reported"] = unreported
    population = describe_series(ds, list(ds.series))
    rows = tuple((site, str(n)) for site, n in counts.items())
    title = "Primary sites of the surgically treated cases"
    alt = f"Bar chart of primary sites of {population}: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + "."
    return EvidenceFigure("primary-sites-surgical", title, f"{population}, summed over all series.", alt,
                          f"n = {population}; primary site not reported for {unreported}.",
                          (f"Primary site ({population})", "Cases"), rows, "bars", bars={"Cases": counts},
                          population=population)


def by_year(ds: Dataset) -> EvidenceFigure:
    """Per year of publication: publications with a series or a patient record, surgically treated
    cases, patient records. Every year from the first to the last is a row, with or without records."""
    records = [*ds.series, *ds.patients]
    found = {ds.references[r.reference].year for r in records}
    years = list(range(min(found), max(found) + 1)) if found else []
    refs_by_year: dict = {}
    for r in records:
        refs_by_year.setdefault(ds.references[r.reference].year, set()).add(r.reference)
    rows, pubs, cases, patients = [], {}, {}, {}
    for year in years:
        pubs[str(year)] = len(refs_by_year.get(year, ()))
        cases[str(year)] = sum(s.surgically_treated for s in ds.series if ds.references[s.reference].year == year)
        patients[str(year)] = sum(1 for p in ds.patients if ds.references[p.reference].year == year)
        rows.append((str(year), str(pubs[str(year)]), str(cases[str(year)]), str(patients[str(year)])))
    publications = len({r.reference for r in records})
    population = (f"{plural(publications, 'publication')} with a surgically treated series or an individual patient "
                  f"record ({sources_phrase(ds, records, counts=False)})")
    alt = (f"Bar chart of {population}, per year of publication: " + "; ".join(
        f"{r[0]}: {r[1]} publication(s), {r[2]} surgically treated case(s), {r[3]} patient record(s)" for r in rows if r[1] != "0")
        + ".")
    title = "Publications and cases by year of publication"
    return EvidenceFigure("by-year", title,
                          f"{population}. A publication with both a series and patient records counts once. These are "
                          "counts of what was published and collected, computed by the atlas: they do not measure how "
                          "often the disease occurs.",
                          alt, f"n = {population}; {sum(cases.values())} surgically treated cases, "
                          f"{sum(patients.values())} patient records.",
                          ("Year", f"Publications ({population})", "Surgically treated cases", "Patient records"),
                          tuple(rows), "bars", bars={"Publications": pubs, "Surgically treated cases": cases,
                                                     "Patient records": patients},
                          population=population)


def site_figure_ids(site_id: str) -> tuple[str, ...]:
    """The ids a primary site's figures have, where its records support them."""
    return (f"survival-site-{site_id}", f"survival-by-surgery-site-{site_id}")


def site_figures(ds: Dataset, site_id: str, estimate=None) -> list[EvidenceFigure]:
    """A primary site's own survival curve, and its comparison by surgery, where its records support them."""
    patients = [p for p in ds.patients if p.primary_site == site_id]
    if len(_with_survival(patients)) < MIN_SITE_SURVIVAL_N:
        return []
    overall, by_surgery = site_figure_ids(site_id)
    found = [survival_overall(ds, patients, overall, estimate), survival_by_surgery(ds, patients, by_surgery, estimate)]
    return [f for f in found if f]


def all_figures(ds: Dataset, site_ids, estimate: Callable | None = None) -> dict[str, EvidenceFigure]:
    """Every evidence figure of the data, the primary sites' own among them; `estimate(label, patients)` makes a
    survival curve (kaplan_meier, or a memo of it)."""
    from iscm_atlas.content.prisma import prisma_figure  # prisma.py builds on this module's EvidenceFigure

    figures = [survival_overall(ds, estimate=estimate), survival_by_surgery(ds, estimate=estimate),
               outcome_by_treatment(ds), primary_sites_surgical(ds), by_year(ds), prisma_figure(ds)]
    figures += [f for site in site_ids for f in site_figures(ds, site, estimate)]
    return {f.id: f for f in figures if f}
