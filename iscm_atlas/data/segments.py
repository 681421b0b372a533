"""Exact spinal segments as case reports give them ("C7", "T10-T12", "conus", "cauda-equina"), and
the region (cervical, thoracic, ...) each lies in, so tables and charts can show regions as the
review printed them while a case report's segment is kept exactly."""
from __future__ import annotations

import re

REGIONS = {"C": ("cervical", 8), "T": ("thoracic", 12), "L": ("lumbar", 5), "S": ("sacral", 5)}
NAMED = {"conus": "conus", "cauda-equina": "cauda-equina"}  # segment words that are regions themselves
ORDER = [f"{letter}{n}" for letter, (_, count) in REGIONS.items() for n in range(1, count + 1)]
_ONE = r"(C[1-8]|T(?:1[0-2]|[1-9])|L[1-5]|S[1-5])"
PATTERN = rf"^({_ONE}(-{_ONE})?|conus|cauda-equina)$"  # also the JSON Schema pattern
_RE = re.compile(PATTERN)


def span(segment: str) -> list[str]:
    """Every vertebral segment a segment or range covers, cranial to caudal; [] for a named region."""
    if segment in NAMED:
        return []
    first, _, last = segment.partition("-")
    last = last or first
    return ORDER[ORDER.index(first):ORDER.index(last) + 1]


def problem(segment: str) -> str | None:
    """Why a segment is not valid, in words a contributor can act on; None when it is."""
    if segment in NAMED:
        return None
    if not _RE.match(segment):
        for meant in (segment.upper(), segment.lower().replace(" ", "-")):
            if _RE.match(meant):
                return f"'{segment}' is not a spinal segment as written; did you mean '{meant}'?"
        return (f"'{segment}' is not a spinal segment; write one like C7, T10-T12, L1, S2, conus or cauda-equina "
                "(capital letter, number; a range with a hyphen)")
    first, _, last = segment.partition("-")
    if last and ORDER.index(last) < ORDER.index(first):
        return f"the range '{segment}' runs upwards; write it cranial to caudal: {last}-{first}"
    return None


def regions(segments) -> tuple[str, ...]:
    """The regions (spinal-levels vocabulary ids) the segments lie in, cranial to caudal, each once."""
    found = []
    for segment in segments:
        parts = [NAMED[segment]] if segment in NAMED else [REGIONS[s[0]][0] for s in span(segment)]
        for part in parts:
            if part not in found:
                found.append(part)
    order = [r for r, _ in REGIONS.values()]
    order[order.index("lumbar") + 1:order.index("lumbar") + 1] = ["conus", "cauda-equina"]
    return tuple(sorted(found, key=order.index))


_PRINTED_REGION = {"conus medullaris": "conus", "medullary conus": "conus", "conus": "conus", "cauda equina": "cauda-equina"}


def normalize(printed: str) -> str | None:
    """A segment as publications print it, in the atlas's form: "Th12" and "D12" (thoracic, dorsal) -> "T12",
    "C3–C4" -> "C3-C4", "C3-4" -> "C3-C4", "conus medullaris" -> "conus"; None when it names no segment."""
    text = re.sub(r"\s+", " ", printed.replace("–", "-").replace("—", "-")).strip()
    if text.lower() in _PRINTED_REGION:
        return _PRINTED_REGION[text.lower()]
    one = r"(?:TH|D|C|T|L|S)\s?\d{1,2}"
    match = re.fullmatch(rf"({one})(?:\s?-\s?((?:TH|D|C|T|L|S)?\s?\d{{1,2}}))?", text.upper())
    if not match:
        return None

    def canonical(part: str, letter: str | None = None) -> str:
        part = part.replace(" ", "")
        head = re.match(r"[A-Z]*", part).group(0)
        head = {"TH": "T", "D": "T"}.get(head, head) or letter
        return f"{head}{part.lstrip('THDCLS')}"
    first = canonical(match.group(1))
    result = first if not match.group(2) else f"{first}-{canonical(match.group(2), first[0])}"
    return result if problem(result) is None else None
