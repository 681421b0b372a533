"""Turn the readers' search and screening logs into data/searches and data/screening files (lint-clean)."""
import glob
import re
import sys
import unicodedata
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parents[1]  # research/extraction-<date>/
sys.path.insert(0, str(HERE.parents[1]))
from iscm_atlas.data.emit import dump  # noqa: E402  (after the path is set)

DATA = Path(sys.argv[1])
landed = set(sys.argv[2].split(",")) if len(sys.argv) > 2 and sys.argv[2] else set()  # reference ids in the data
REASONS = {"not-intramedullary", "primary-cns-tumour", "no-patient-or-series-data", "duplicate-of-included-report",
           "not-retrievable", "published-before-2009"}

def slug(t):
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")

def norm(a):
    a = a.strip().lower().replace("https:///", "https://")
    a = re.sub(r"^https?://(www\.)?", "", a).rstrip("/")
    return a

names = set()
readers = sorted(p for p in glob.glob(str(HERE / "first-*")) if Path(p, "searches.yaml").exists())
readings = sorted(glob.glob(str(HERE / "first-*")) + glob.glob(str(HERE / "new-*")))  # every first reading
for r in readings:
    for f in Path(r).glob("*.yaml"):
        if f.name in ("searches.yaml", "screened.yaml"):
            continue
        d = yaml.safe_load(f.read_text())
        for a in d.get("authors") or []:
            fam = a["family"] if isinstance(a, dict) else str(a).split(",")[0]
            names.add(fam.lower())

by_address, by_title = {}, {}  # a landed work by the address its reading names, and by its title
for r in readings:
    for f in Path(r).glob("*.yaml"):
        if f.name in ("searches.yaml", "screened.yaml"):
            continue
        d = yaml.safe_load(f.read_text())
        if d.get("id") in landed:
            by_address[norm(d["read_from"])] = d["id"]
            by_title[slug(str(d.get("title") or ""))] = d["id"]


def purpose(q):
    words = q.split()
    if re.search(r"\d{2,}|year-old|\"", q) or len(words) > 16:
        return "retrieval"
    if any(w.strip('",.;:()').lower() in names for w in words):
        return "retrieval"
    return "identification"

(DATA / "searches").mkdir(exist_ok=True)
(DATA / "screening").mkdir(exist_ok=True)
n = 0
ids_by_reader = {}
for r in readers:
    runs = yaml.safe_load(Path(r, "searches.yaml").read_text()) or []
    ids = []
    for run in runs:
        n += 1
        sid = f"search-{run['date']}-{n:03d}"
        rec = {"id": sid, "date": str(run["date"]), "source": "stored public web pages (the search tool's pages corpus)",
               "query": str(run["query"]), "hits": int(run["hits"]), "purpose": purpose(str(run["query"]))}
        (DATA / "searches" / f"{sid}.yaml").write_text(dump("search", rec))
        ids.append(sid)
    ids_by_reader[r] = ids

works = {}
for r in readers:
    for w in yaml.safe_load(Path(r, "screened.yaml").read_text()) or []:
        key = norm(w["address"])
        prev = works.get(key)
        rank = {"included": 3, "outside-slice": 2, "excluded": 1}
        decision = w["decision"]
        if w.get("reason") == "outside-slice" or (decision == "excluded" and not w.get("reason")):
            decision = "outside-slice"  # eligible, but another reader's share of the search
        if prev and rank.get(prev[1], 0) >= rank.get(decision, 0):
            continue
        works[key] = (w, decision, r)
included_titles = {}  # a work's title -> its reference, where one stored copy of it was read and landed
for key, (w, _decision, _reader) in works.items():
    ref = by_address.get(key)
    if ref in landed and w.get("title"):
        included_titles[slug(str(w["title"]))] = ref
taken, entered = set(), set()
counts = {}
for key, (w, decision, r) in sorted(works.items()):
    w["title"] = str(w.get("title") or "(no title printed on the stored page)")
    base = slug(w["title"])[:60].rstrip("-") or slug(key)[:60]
    wid, i = base, 2
    while wid in taken:
        wid = f"{base}-{i}"
        i += 1
    taken.add(wid)
    rec = {"id": wid, "address": w["address"].replace("https:///", "https://"), "title": str(w["title"]).strip()}
    if w.get("year"):
        rec["year"] = int(w["year"])
    # the readers' logs do not say which run returned each work: found_by is left out (not guessed)
    note = w.get("note")
    copy_of = included_titles.get(slug(w["title"]))
    if key not in by_address and by_title.get(slug(w["title"])) not in (None, *entered):
        by_address[key] = by_title[slug(w["title"])]  # the reading was of another address of this work
    if by_address.get(key) in landed and by_address[key] not in entered:  # read twice and entered, whoever's share
        decision, note = "included", None
        entered.add(by_address[key])
    elif by_address.get(key) in landed:
        decision, w["reason"] = "excluded", "duplicate-of-included-report"
        note = f"another stored copy of the work entered as {by_address[key]}"
    elif copy_of:
        decision, w["reason"] = "excluded", "duplicate-of-included-report"
        note = f"another stored copy of the work entered as {copy_of}"
    if decision == "included":
        ref = by_address.get(key) or next((r for r in landed if r in (note or "")), None)
        if ref in landed:
            rec["decision"], rec["reference"] = "included", ref
        else:
            rec["decision"] = "awaiting-extraction"
    elif decision == "outside-slice":
        rec["decision"] = "awaiting-extraction"
        note = ("judged eligible by a reader whose share of the search it was not; " + (note or "")).strip("; ")
    else:
        reason = w.get("reason")
        if reason not in REASONS:
            raise SystemExit(f"unknown reason {reason} for {w['address']}")
        rec["decision"], rec["reason"] = "excluded", reason
    if note:
        rec["notes"] = [str(note)]
    counts[rec["decision"]] = counts.get(rec["decision"], 0) + 1
    (DATA / "screening" / f"{wid}.yaml").write_text(dump("screening", rec))
print(n, "searches;", len(works), "works", counts)
