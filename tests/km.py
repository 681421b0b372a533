"""Kaplan-Meier by hand, independent of lifelines, for the tests that check the figures against it."""
from __future__ import annotations

import math

Z95 = 1.959963984540054


def product_limit(times, died):
    """(months, at risk, deaths, censored, survival, lower, upper) per distinct time (time 0 first), with
    Greenwood's variance on the log(-log) scale, and the medians of the curve and of its band. `died` is
    True only for a death; anything else is censored."""
    surv, greenwood = 1.0, 0.0
    steps = [(0.0, len(times), 0, 0, 1.0, 1.0, 1.0)]
    for t in sorted(set(times)):
        at_risk = sum(1 for x in times if x >= t)
        deaths = sum(1 for x, d in zip(times, died) if x == t and d)
        censored = sum(1 for x, d in zip(times, died) if x == t and not d)
        if deaths:
            surv *= 1 - deaths / at_risk
            if at_risk > deaths:
                greenwood += deaths / (at_risk * (at_risk - deaths))
        if 0 < surv < 1 and greenwood:
            spread = Z95 * math.sqrt(greenwood) / math.log(surv)
            lower, upper = surv ** math.exp(-spread), surv ** math.exp(spread)
        else:
            lower = upper = surv
        steps.append((float(t), at_risk, deaths, censored, surv, lower, upper))

    def first_below_half(column):
        return next((s[0] for s in steps if s[column] <= 0.5), None)
    return steps, first_below_half(4), first_below_half(5), first_below_half(6)
