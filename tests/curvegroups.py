"""The atlas's rule for survival curves, written out again for the tests from its statement (not from the code):
each primary site with five or more patients with reported survival is a curve of its own, labelled
"<Site> primary"; the other patients are one curve: "<Site> primary" if they have one site, else "Other sites" (beside
site curves) or "Pooled sites" (alone). Surgery is compared only within a curve of one site, between its patients
recorded as operated and those recorded as not."""
from __future__ import annotations

from collections import Counter

MIN_PER_SITE = 5


def site_order(labels: dict[str, str]) -> list:
    return [*labels, None]


def curve_groups(patients: list[dict], labels: dict[str, str]) -> dict[str, list[dict]]:
    """`patients`: raw YAML records with reported survival; `labels`: site id -> vocabulary label, in file order."""
    counts = Counter(p["primary_site"] for p in patients)
    own = [s for s in site_order(labels) if s is not None and counts[s] >= MIN_PER_SITE]
    groups = {f"{labels[s]} primary": [p for p in patients if p["primary_site"] == s] for s in own}
    rest = [p for p in patients if p["primary_site"] not in own]
    if rest:
        sites = {p["primary_site"] for p in rest}
        if len(sites) == 1:
            site = next(iter(sites))
            label = f"{labels[site]} primary" if site else "Unreported primary"
        else:
            label = "Other sites" if groups else "Pooled sites"
        groups[label] = rest
    return groups


def compared_arms(groups: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """"<group>, surgery" and "<group>, no surgery" for each one-site group that has both arms."""
    arms = {}
    for label, members in groups.items():
        yes = [p for p in members if p["surgery"] is True]
        no = [p for p in members if p["surgery"] is False]
        if yes and no and len({p["primary_site"] for p in members}) == 1:
            arms[f"{label}, surgery"], arms[f"{label}, no surgery"] = yes, no
    return arms
