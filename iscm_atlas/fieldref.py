"""The field reference for contributors, read straight from the JSON Schemas so it cannot drift."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

KINDS = (("case", "Case file", "data/cases/<id>.yaml"), ("reference", "Reference file", "data/references/<id>.yaml"),
         ("finding", "Finding file", "data/findings/<id>.yaml"), ("vocabulary", "Vocabulary file", "data/vocabularies/<id>.yaml"))


@dataclass(frozen=True)
class FieldDoc:
    path: str  # e.g. "patients[].age"
    required: bool
    type: str
    description: str


def _type(schema: dict) -> str:
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    kinds = schema.get("type", "object" if "properties" in schema else "")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    words = {"integer": "whole number", "number": "number", "string": "text", "boolean": "true/false",
             "null": "null", "array": "list", "object": "mapping"}
    return " or ".join(words.get(k, k) for k in kinds)


def _walk(schema: dict, prefix: str, required: bool, out: list[FieldDoc]) -> None:
    if prefix:
        out.append(FieldDoc(prefix, required, _type(schema), schema.get("description", "")))
    for name, sub in schema.get("properties", {}).items():
        _walk(sub, f"{prefix}.{name}" if prefix else name, name in schema.get("required", []), out)
    items = schema.get("items")
    if isinstance(items, dict) and "properties" in items:
        for name, sub in items["properties"].items():
            _walk(sub, f"{prefix}[].{name}", name in items.get("required", []), out)


def field_docs(schema_dir: Path, kind: str) -> list[FieldDoc]:
    schema = json.loads((schema_dir / f"{kind}.schema.json").read_text(encoding="utf-8"))
    out: list[FieldDoc] = []
    _walk(schema, "", True, out)
    return out
