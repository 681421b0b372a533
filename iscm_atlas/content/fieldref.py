"""The field reference for contributors, read straight from the JSON Schemas so it cannot drift."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

KINDS = (("case", "Case file", "data/cases/<id>.yaml"), ("reference", "Reference file", "data/references/<id>.yaml"),
         ("finding", "Finding file", "data/findings/<id>.yaml"), ("vocabulary", "Vocabulary file", "data/vocabularies/<id>.yaml"),
         ("search", "Search run file", "data/searches/<id>.yaml"), ("screening", "Screened work file", "data/screening/<id>.yaml"),
         ("certainty", "Certainty judgement file", "data/certainty/<id>.yaml"))


@dataclass(frozen=True)
class FieldDoc:
    path: str  # e.g. "patients[].age"
    required: bool
    type: str
    description: str


def _type(schema: dict) -> str:
    if "enum" in schema:
        return "one of: " + ", ".join("null" if v is None else str(v) for v in schema["enum"])
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


START, END = "<!-- field-reference -->", "<!-- /field-reference -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_reference(schema_dir: Path) -> str:
    """The field reference as Markdown tables, one per file kind, for CONTRIBUTING.md itself."""
    parts = []
    for kind, title, path in KINDS:
        rows = [f"| `{d.path}` | {'yes' if d.required else 'no'} | {_cell(d.type)} | {_cell(d.description)} |"
                for d in field_docs(schema_dir, kind)]
        parts.append(f"### {title}\n\nPath: `{path}`\n\n| Field | Required | Type | What to write |\n"
                     "| --- | --- | --- | --- |\n" + "\n".join(rows) + "\n")
    return "\n".join(parts)


def with_reference(guide: str, schema_dir: Path) -> str:
    """The guide with its field reference block (between the START and END markers) regenerated."""
    if START not in guide or END not in guide:
        raise ValueError(f"CONTRIBUTING.md lost its {START} ... {END} markers; put them back around the field reference")
    head, rest = guide.split(START, 1)
    tail = rest.split(END, 1)[1]
    return f"{head}{START}\n\n{markdown_reference(schema_dir)}\n{END}{tail}"


MACRO_START, MACRO_END = "<!-- macro-reference -->", "<!-- /macro-reference -->"


def macro_reference(macros: dict) -> str:
    """The macros authors may write in docs/ pages, each with its arguments and what it shows."""
    import inspect

    rows = []
    for name, fn in sorted(macros.items()):
        params = inspect.signature(fn).parameters.values()
        signature = "(" + ", ".join(("*" if p.kind is p.VAR_POSITIONAL else "") + p.name for p in params) + ")"
        doc = " ".join((inspect.getdoc(fn) or "").split())
        rows.append(f"| `{{{{ {name}{signature} }}}}` | {_cell(doc)} |")
    return "| Macro | What it shows |\n| --- | --- |\n" + "\n".join(rows) + "\n"


def with_macro_reference(guide: str, macros: dict) -> str:
    if MACRO_START not in guide or MACRO_END not in guide:
        raise ValueError(f"CONTRIBUTING.md lost its {MACRO_START} ... {MACRO_END} markers")
    head, rest = guide.split(MACRO_START, 1)
    return f"{head}{MACRO_START}\n\n{macro_reference(macros)}\n{MACRO_END}{rest.split(MACRO_END, 1)[1]}"
