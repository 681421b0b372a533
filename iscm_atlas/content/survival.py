"""The Kaplan-Meier (product-limit) estimate of survival and its 95% interval, computed as lifelines computes it.

Not a call to lifelines, on purpose: importing lifelines (pandas, scipy, autograd, formulaic) took a second
of every build that estimated a curve, more than a whole plain mkdocs-material build of today's data, for
arithmetic of a few lines. The arithmetic here is lifelines' own (KaplanMeierFitter, version 0.30), step for
step and in numpy, as it does it: the log of the share surviving each time, summed; Greenwood's variance;
the exponential Greenwood (log-log) interval; the median as the first time survival is at or below one half.
tests/test_units_figures.py checks every value against lifelines itself, on the real records and on
generated ones (ties, deaths at time 0, everyone censored, everyone dead).
"""
from __future__ import annotations

from dataclasses import dataclass

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile, lifelines' z for a 95% interval (a test checks it)


@dataclass(frozen=True)
class LifeTable:
    """One row per distinct time (time 0 first): the numbers at risk, dying and censored, survival and its
    interval; and the median of survival and of the interval's two bounds (None where never reached)."""

    times: tuple[float, ...]
    at_risk: tuple[int, ...]
    deaths: tuple[int, ...]
    censored: tuple[int, ...]
    survival: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    median: float | None
    median_lower: float | None
    median_upper: float | None


def _first_at_or_below_half(times, values) -> float | None:
    below = (values <= 0.5).nonzero()[0]
    return float(times[below[0]]) if below.size else None


def product_limit(times: list[float], died: list[bool]) -> LifeTable:
    """`times`: follow-up of each patient; `died[i]`: patient i died at times[i] (else censored there)."""
    if not times:
        raise ValueError("a Kaplan-Meier estimate needs at least one patient")
    import numpy as np  # here, not at the top: a build whose curves are kept (figures.SurvivalMemo) never loads it
    follow_up = np.asarray(times, dtype=float)
    death = np.asarray(died, dtype=bool)
    timeline = np.union1d(follow_up, [0.0])  # sorted, distinct, from time 0
    position = np.searchsorted(timeline, follow_up)
    removed = np.bincount(position, minlength=timeline.size).astype(np.int64)
    deaths = np.bincount(position, weights=death, minlength=timeline.size).astype(np.int64)
    at_risk = len(times) - np.concatenate(([0], np.cumsum(removed)[:-1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_survival = np.cumsum(np.log(at_risk - deaths) - np.log(at_risk))
        population = at_risk.astype(np.uint64)
        term = deaths / (population * (population - deaths))
        term[np.isinf(term)] = 0.0  # all at risk die: lifelines counts the term as 0
        variance = np.cumsum(term)
        survival = np.exp(log_survival)
        v = np.log(survival)
        spread = Z95 * np.sqrt(variance) / v
        lower = np.exp(-np.exp(np.log(-v) - spread))
        upper = np.exp(-np.exp(np.log(-v) + spread))
    lower[np.isnan(lower)] = 1.0  # survival still 1: no interval yet (lifelines fills 1.0)
    upper[np.isnan(upper)] = 1.0
    return LifeTable(tuple(float(t) for t in timeline), tuple(int(n) for n in at_risk), tuple(int(d) for d in deaths),
                     tuple(int(r - d) for r, d in zip(removed, deaths)), tuple(float(s) for s in survival),
                     tuple(float(x) for x in lower), tuple(float(x) for x in upper),
                     _first_at_or_below_half(timeline, survival), _first_at_or_below_half(timeline, lower),
                     _first_at_or_below_half(timeline, upper))

