"""Compare two independent readings of each work and write one answer file per work for the scaffold.

A value both readings give alike is kept. A value they give differently, or that only one gives, is NOT kept: the
field is left out (or null where the record requires it) and a note says what each reading printed, until someone
checks it against the source. Prints, per work, values compared, agreed at first, and the disagreements.
"""
import json
import re
import sys
from pathlib import Path

import yaml

FIRST, SECOND, OUT = map(Path, sys.argv[1:4])
OUT.mkdir(parents=True, exist_ok=True)
REF_KEYS = ("year", "title", "journal", "volume", "issue", "pages", "doi", "pmid", "design", "text")
PATIENT_KEYS = ("age", "sex", "level", "segments", "primary_site", "histology", "first_sign_of_cancer", "brain_metastases",
                "leptomeningeal_disease", "multiple_intramedullary_lesions", "surgery", "resection", "radiotherapy",
                "radiotherapy_technique", "radiotherapy_dose_gy", "radiotherapy_fractions", "chemotherapy",
                "targeted_therapy", "immunotherapy", "hormonal_therapy", "steroids", "neurological_grade", "outcome",
                "survival_months", "survival_from", "alive", "months_from_primary_diagnosis")
REQUIRED = {"age", "level", "primary_site", "surgery", "radiotherapy", "chemotherapy", "outcome", "survival_months", "alive"}


def word(v):
    """An appraisal answer as written: YAML 1.1 reads a bare yes/no as a boolean."""
    return {True: "yes", False: "no"}.get(v, v) if isinstance(v, bool) else v


def norm(v):
    if isinstance(v, str):
        s = re.sub(r"\s+", " ", v.strip().lower()).rstrip(".")
        return {"true": True, "false": False, "yes": True, "no": False, "null": None, "": None}.get(s, s)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, list):
        return [norm(x) for x in v] or None
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items() if norm(x) is not None}
    return v


def authors(d):
    out = []
    for a in d.get("authors") or []:
        if isinstance(a, dict):
            out.append((a.get("family", "").strip().lower(), re.sub(r"[\s.]", "", a.get("given", "") or "").lower()))
        else:
            fam, _, giv = str(a).partition(",")
            out.append((fam.strip().lower(), re.sub(r"[\s.]", "", giv).lower()))
    return out


report = {}
for f in sorted(FIRST.glob("*.yaml")):
    if f.name in ("searches.yaml", "screened.yaml"):
        continue
    a = yaml.safe_load(f.read_text())
    s_path = SECOND / f.name
    if not s_path.exists():
        # the second reader may have named it differently: match by address
        match = [p for p in SECOND.glob("*.yaml") if (yaml.safe_load(p.read_text()) or {}).get("read_from", "").replace("https:///", "https://") == a["read_from"].replace("https:///", "https://")]
        if not match:
            continue
        s_path = match[0]
    b = yaml.safe_load(s_path.read_text())
    if b.get("notes") == ["not found"] or not b.get("authors"):
        report[a["id"]] = {"skipped": "second reading found no page"}
        continue
    compared = agreed = 0
    notes, out = [], {}
    # authors
    compared += 1
    if authors(a) == authors(b) and bool(a.get("et_al")) == bool(b.get("et_al")):
        agreed += 1
        out["authors"] = a["authors"]
        if a.get("et_al"):
            out["et_al"] = True
    else:
        notes.append(f"Author list: the two readings differ (first: {authors(a)}; second: {authors(b)}); the first author "
                     "and year are kept where both agree, the list is to be checked against the source.")
        if authors(a)[:1] == authors(b)[:1]:
            fam = a["authors"][0]
            out["authors"] = [fam]
            out["et_al"] = True
        else:
            report[a["id"]] = {"skipped": "first authors differ"}
            continue
    for k in REF_KEYS:
        va, vb = norm(a.get(k)), norm(b.get(k))
        if va is None and vb is None:
            continue
        compared += 1
        if va == vb:
            agreed += 1
            out[k] = a[k]
        else:
            notes.append(f"{k}: first reading {a.get(k)!r}, second {b.get(k)!r}; left out until checked against the source.")
    if "year" not in out:
        report[a["id"]] = {"skipped": "year differs"}
        continue
    out["id"] = a["id"]
    out["read_from"] = a["read_from"].replace("https:///", "https://")
    out["read_on"] = str(a.get("read_on") or "2026-12-04")
    out["text"] = out.get("text") or "abstract"
    out["confidence"] = "verified" if ({"title", "journal"} <= set(out) and ({"volume", "pages"} <= set(out) or "doi" in out)) else "partial"
    pa, pb = a.get("patients") or [], b.get("patients") or []
    patients = []
    if len(pa) != len(pb):
        notes.append(f"Patients: the first reading has {len(pa)}, the second {len(pb)}; only the first {min(len(pa), len(pb))} compared.")
    for i, (x, y) in enumerate(zip(pa, pb)):
        rec = {}
        for k in PATIENT_KEYS:
            vx, vy = norm(x.get(k)), norm(y.get(k))
            if k == "survival_from":
                vx = None if vx == "not-stated" else vx
                vy = None if vy == "not-stated" else vy
            if vx is None and vy is None:
                continue
            compared += 1
            if vx == vy:
                agreed += 1
                rec[k] = x[k]
            else:
                notes.append(f"Patient {i + 1}, {k}: first reading {x.get(k)!r}, second {y.get(k)!r}; left out until "
                             "checked against the source.")
        if rec.get("segments") and rec.get("level"):
            rec.pop("level")
        if rec.get("resection") and rec.get("surgery") is not True:
            rec.pop("resection")
        for k in ("radiotherapy_technique", "radiotherapy_dose_gy", "radiotherapy_fractions"):
            if rec.get(k) is not None and norm(rec.get("radiotherapy")) is not True:
                rec.pop(k)
        if rec.get("survival_from") and rec.get("survival_months") is None:
            rec.pop("survival_from")
        pnotes = [n for n in (x.get("notes") or []) if n]
        if pnotes:
            rec["notes"] = [f"First reading: {n}" for n in pnotes][:6]
        rec["source"] = {"section": str((x.get("source") or {}).get("section") or "Case report")}
        patients.append(rec)
    if patients:
        out["patients"] = patients
    sa, sb = a.get("series") or [], b.get("series") or []
    series = []
    for i, (x, y) in enumerate(zip(sa, sb)):
        compared += 1
        if norm(x.get("surgically_treated")) == norm(y.get("surgically_treated")):
            agreed += 1
            rec = {"surgically_treated": x["surgically_treated"]}
            sites_x, sites_y = norm(x.get("primary_sites") or {}), norm(y.get("primary_sites") or {})
            if sites_x or sites_y:
                compared += 1
            if sites_x == sites_y:
                agreed += 1 if (sites_x or sites_y) else 0
                rec["primary_sites"] = x.get("primary_sites") or {}
            else:
                rec["primary_sites"] = {}
                notes.append(f"Series {i + 1}, primary sites: first reading {x.get('primary_sites')}, second "
                             f"{y.get('primary_sites')}; left out until checked against the source.")
            rec["source"] = {"section": str((x.get("source") or {}).get("section") or "Abstract")}
            series.append(rec)
        else:
            notes.append(f"Series {i + 1}, surgically treated: first reading {x.get('surgically_treated')}, second "
                         f"{y.get('surgically_treated')}; left out until checked against the source.")
    if len(sa) != len(sb):
        notes.append(f"Series: the first reading has {len(sa)}, the second {len(sb)}.")
    if series:
        out["series"] = series

    def key(v):
        return tuple(norm(v.get(k)) for k in ("value", "low", "high", "numerator", "denominator"))
    fb = {key(v) for f in (b.get("findings") or []) for v in (f.get("values") or [])}
    findings = []
    for f in a.get("findings") or []:
        values = f.get("values") or []
        compared += len(values)
        kept = [v for v in values if key(v) in fb]
        agreed += len(kept)
        if kept and len(kept) == len(values):
            finding = {k: f[k] for k in ("label", "statement", "values", "topic", "sites", "source", "denominator_note")
                       if f.get(k) is not None}
            if re.search(r"\d", finding.get("statement", "")):  # figures belong in values: the label says what it is of
                finding.pop("statement")
            findings.append(finding)
        else:
            notes.append(f"Finding '{f.get('label')}': the second reading does not give the same values; left out until "
                         "checked against the source.")
    if findings:
        out["findings"] = findings
    ap_a, ap_b = (a.get("appraisal") or {}), (b.get("appraisal") or {})
    if ap_a.get("checklist") and ap_a.get("checklist") == ap_b.get("checklist") and ap_a.get("checklist") != "none":
        items = []
        for x, y in zip(ap_a.get("items") or [], ap_b.get("items") or []):
            compared += 1
            if norm(x.get("answer")) == norm(y.get("answer")):
                agreed += 1
                items.append({"answer": str(x["answer"]).lower() if not isinstance(x["answer"], bool) else ("yes" if x["answer"] else "no"), "reason": str(x.get("reason") or "as read")})
            else:
                items.append({"answer": "unclear", "reason": f"the two readings differ (first: {word(x.get('answer'))}, second: {word(y.get('answer'))})"})
        out["appraisal"] = {"checklist": ap_a["checklist"], "items": items}
    out["extraction"] = {"readings": 2, "values": compared, "agreed": agreed}
    out["notes"] = [*(a.get("notes") or [])[:3], *notes]
    out["notes"] = [str(n) for n in out["notes"]]
    (OUT / f"{a['id']}.yaml").write_text(yaml.safe_dump({"works": [out]}, sort_keys=False, allow_unicode=True, width=110))
    report[a["id"]] = {"values": compared, "agreed": agreed, "disagreements": len(notes)}
print(json.dumps(report, indent=1))
