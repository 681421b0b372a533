"""Data files already read and checked, by content hash, so a build does not parse or validate them again.

Kept outside the repository (ISCM_CACHE_DIR, else $XDG_CACHE_HOME/iscm-atlas, else ~/.cache/iscm-atlas), in
one JSON file per version of the checking code and schemas: editing a schema or the data layer's code
starts a new cache. Only files that passed their own checks are kept; cross-file checks run on every load.
The checked files' cache is written with orjson (at 100x data it holds 9,000 files; the standard library's
encoder took eight times as long), and a file's data is kept only if JSON gives it back exactly.
"""
from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

import orjson

_CODE = Path(__file__).parent  # iscm_atlas/data: the code that reads and checks a file
MAX_ENTRIES = 200_000


def default_dir() -> Path:
    if os.environ.get("ISCM_CACHE_DIR"):
        return Path(os.environ["ISCM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "iscm-atlas"


def cache_path(name: str, sources, packages, cache_dir: Path | None = None) -> Path:
    """A cache file named for the code and package versions it depends on: change either, and a new one starts."""
    digest = hashlib.sha256()
    for path in sources:
        digest.update(Path(path).name.encode() + b"\0" + Path(path).read_bytes())
    for package in packages:
        digest.update(f"{package}={metadata.version(package)}".encode())
    return (cache_dir or default_dir()) / f"{name}-{digest.hexdigest()[:16]}.json"


def read_json(path: Path) -> dict:
    """A cache file's entries; none if it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_json(path: Path, entries: dict) -> None:
    """Write a cache file whole (another build reading it meanwhile sees the old or the new one, never half)."""
    _write_whole(path, json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _write_whole(path: Path, content: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time


class ValidatedFiles:
    """The data of files that passed their own checks, by (kind, content hash). One per load of the data."""

    def __init__(self, schema_dir: Path, cache_dir: Path | None = None):
        self.path = cache_path("validated", [*sorted(_CODE.glob("*.py")), *sorted(Path(schema_dir).glob("*.json"))],
                               ("yaml-rs", "jsonschema-rs", "jsonschema", "PyYAML", "orjson"), cache_dir)
        try:
            self.entries: dict = orjson.loads(self.path.read_bytes())
        except (OSError, ValueError):
            self.entries = {}
        self.changed = False
        self.hits = 0

    @staticmethod
    def key(kind: str, raw: bytes) -> str:
        return f"{kind}:{hashlib.blake2b(raw, digest_size=16).hexdigest()}"

    def get(self, kind: str, raw: bytes):
        data = self.entries.get(self.key(kind, raw))
        if data is not None:
            self.hits += 1
        return data

    @staticmethod
    def keeps(data) -> bool:
        """JSON gives `data` back exactly (not so: keys that are not text, NaN, integers past 64 bits); data it
        would change is not kept, and its file is simply checked again next time."""
        try:
            return orjson.loads(orjson.dumps(data)) == data
        except orjson.JSONEncodeError:
            return False

    def put(self, kind: str, raw: bytes, data) -> None:
        """Keep a checked file's data (only data `keeps` accepts)."""
        self.entries[self.key(kind, raw)] = data
        self.changed = True

    def save(self) -> None:
        """Write the cache if it changed; past MAX_ENTRIES, start again (old versions of files pile up)."""
        if len(self.entries) > MAX_ENTRIES:
            self.entries = {}
        if self.changed:
            _write_whole(self.path, orjson.dumps(self.entries))
