"""Data files already read and checked, by content hash, so a build does not parse or validate them again.

Kept outside the repository (ISCM_CACHE_DIR, else $XDG_CACHE_HOME/iscm-atlas, else ~/.cache/iscm-atlas), in
one JSON file per version of the checking code and schemas: editing a schema or the data layer's code
starts a new cache. Only files that passed their own checks are kept; cross-file checks run on every load.
"""
from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

_CODE = Path(__file__).parent  # iscm_atlas/data: the code that reads and checks a file
MAX_ENTRIES = 200_000


def default_dir() -> Path:
    if os.environ.get("ISCM_CACHE_DIR"):
        return Path(os.environ["ISCM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "iscm-atlas"


class ValidatedFiles:
    """The data of files that passed their own checks, by (kind, content hash). One per load of the data."""

    def __init__(self, schema_dir: Path, cache_dir: Path | None = None):
        digest = hashlib.sha256()
        for path in sorted(_CODE.glob("*.py")) + sorted(Path(schema_dir).glob("*.json")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        for package in ("yaml-rs", "jsonschema-rs", "jsonschema", "PyYAML"):
            digest.update(f"{package}={metadata.version(package)}".encode())
        self.path = (cache_dir or default_dir()) / f"validated-{digest.hexdigest()[:16]}.json"
        try:
            self.entries: dict = json.loads(self.path.read_text(encoding="utf-8"))
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

    def put(self, kind: str, raw: bytes, data) -> None:
        self.entries[self.key(kind, raw)] = data
        self.changed = True

    def save(self) -> None:
        """Write the cache if it changed; past MAX_ENTRIES, start again (old versions of files pile up)."""
        if len(self.entries) > MAX_ENTRIES:
            self.entries = {}
        if not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self.entries, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            tmp.replace(self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time
