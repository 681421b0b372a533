#!/usr/bin/env python3
"""Write the fingerprints of a source text's word runs, so tests can check that our pages restate
it in their own words without the project shipping the text itself.

Usage: scripts/seed_shingles.py SOURCE.txt > tests/fixtures/seed-shingles.txt

Each line is the first 16 hex digits of the SHA-256 of one run of WORDS consecutive words
(lower-cased, letters only; words hyphenated across line ends are joined first).
"""
from __future__ import annotations

import hashlib
import re
import sys

WORDS = 7


def words(text: str) -> list[str]:
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return re.findall(r"[a-zà-ž]+", text.lower())


def shingles(text: str, size: int = WORDS) -> set[str]:
    w = words(text)
    return {hashlib.sha256(" ".join(w[i:i + size]).encode()).hexdigest()[:16] for i in range(len(w) - size + 1)}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        source = handle.read()
    print(f"# {WORDS}-word shingles of the seed review, hashed (scripts/seed_shingles.py)")
    print("\n".join(sorted(shingles(source))))
