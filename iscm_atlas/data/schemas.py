"""Check one parsed data file against the JSON Schema of its kind and explain each failure.

jsonschema's own messages ("'51 years' is not of type 'integer'") say what is wrong but not what
to write instead; each validator keyword is translated here into a message with a fix.
"""
from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema_rs

from iscm_atlas.data.problems import Problem
from iscm_atlas.data.segments import PATTERN as SEGMENT_PATTERN
from iscm_atlas.data.segments import problem as segment_problem
from iscm_atlas.data.yamlfile import YamlDocument

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

NOT_REPORTED_SPELLINGS = {"n.a.", "na", "n/a", "n.a", "not reported", "not available", "unknown", "nr", "n.r.", "-", "?", "none"}

# A number printed with its unit ("51 years", "6 mo"): the number alone is what the source says.
EXACT_WITH_UNIT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(years?|yrs?|y|months?|mos?|mo|gy|fractions?)\.?\s*(old)?\s*$", re.I)

TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "boolean": "true or false",
    "null": "null (not reported)",
    "array": "a list",
    "object": "a mapping of name: value",
}


def compile_schemas(schema_dir: Path, kinds) -> dict:
    """The compiled schemas of `kinds`, to pass as `compiled` (read once for a whole load of the data)."""
    compiled: dict = {}
    for kind in sorted(kinds):
        _validators(schema_dir, kind, compiled)
    return compiled


def _validators(schema_dir: Path, kind: str, compiled: dict | None = None) -> tuple:
    """(the schema, jsonschema-rs's validator of it): the Draft 2020-12 schema compiled in Rust answers "valid?"
    for every file; jsonschema (Python, slower to load and to run) explains only the files that are not
    (`_explaining`)."""
    if compiled is not None and kind in compiled:
        return compiled[kind]
    schema = json.loads((schema_dir / f"{kind}.schema.json").read_text(encoding="utf-8"))
    # jsonschema-rs checks the schema itself against the Draft 2020-12 meta-schema as it compiles (and raises);
    # jsonschema's own check of it, in Python, took longer than compiling all four schemas.
    pair = (schema, jsonschema_rs.Draft202012Validator(schema, validate_formats=False))
    if compiled is not None:
        compiled[kind] = pair
    return pair


def _explaining(schema: dict):
    """jsonschema's validator, which words each failure; loaded only when a file fails its schema."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema)


def dotted(path) -> str:
    """('patients', 0, 'age') -> 'patients[0].age', the way the messages name a field."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _expected(types) -> str:
    types = [types] if isinstance(types, str) else list(types)
    return " or ".join(TYPE_WORDS.get(t, t) for t in types)


def _type_hint(error: ValidationError) -> str:
    types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    value = error.instance
    if isinstance(value, str):
        if "null" in types and value.strip().lower() in NOT_REPORTED_SPELLINGS:
            return "; write null when the source does not report it"
        if {"integer", "number"} & set(types):
            exact = EXACT_WITH_UNIT.match(value)  # "51 years", "6 months": the number is printed, with its unit
            if exact:
                return f"; write the number alone, e.g. {exact.group(1)}"
            if re.search(r"\d", value):  # "60s", "about 6", "3-4", ">60": not one number the source printed
                return ("; the source gives no exact number here, and none may be made up: write null and copy the "
                        f"printed words into notes (e.g. notes: [\"{error.absolute_path[-1] if error.absolute_path else 'value'} "
                        f"printed as '{value.strip()}'\"])")
        if "boolean" in types and value.strip().lower() in {"y", "n", "true", "false", "yes", "no"}:
            return f"; write {'true' if value.strip().lower() in {'y', 'true', 'yes'} else 'false'} without quotes"
    if "array" in types and isinstance(value, str):
        if error.absolute_path and error.absolute_path[-1] == "level" and segment_problem(value) is None:
            return f"; {value} is an exact segment: write segments: [{value}] and leave level out (it is derived)"
        item_schema = error.schema.get("items", {})
        if not list(_explaining(item_schema).iter_errors(value)):
            return f"; write a list, e.g. [{value}]"
        return "; write a list of terms, e.g. [cervical, thoracic]"
    if value is None and "null" not in types:
        return "; a field that is not known is left out of the file, not set to null: delete this line"
    return ""


def close_field(name: str, allowed: list[str]) -> list[str]:
    """The allowed field a misspelled one probably meant: the same name in another case first
    ("doi" for "DOI"), then the closest spelling."""
    same = [a for a in allowed if a.lower() == name.lower()]
    return same or difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)


def _slug_fix(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return f" (e.g. '{slug}')" if slug else ""


def _messages(error: ValidationError, doc: YamlDocument) -> list[Problem]:
    path = tuple(error.absolute_path)
    name = dotted(path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        out = []
        for extra in sorted(set(error.instance) - set(allowed), key=str):
            close = close_field(str(extra), allowed)
            fix = f"did you mean '{close[0]}'?" if close else "allowed fields here: " + ", ".join(allowed)
            out.append(doc.problem(path + (extra,), f"unknown field '{extra}' in {name}; {fix}", key=True))
        return out
    if kind == "required":
        missing = re.match(r"'([^']+)'", error.message)
        field = missing.group(1) if missing else error.message
        return [doc.problem(path, f"{name} is missing the required field '{field}'; add '{field}:' "
                                  "(write null where the schema allows it and the source does not report it)", key=False)]
    if kind == "type":
        return [doc.problem(path, f"{name} must be {_expected(error.validator_value)}, not {_describe(error.instance)}{_type_hint(error)}")]
    if kind == "enum":
        options = [str(o) for o in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), options, n=1, cutoff=0.5)
        fix = f"did you mean '{close[0]}'? " if close else ""
        return [doc.problem(path, f"{name} is {_describe(error.instance)}; {fix}write one of: {', '.join(options)}")]
    if kind == "pattern":
        if error.validator_value.startswith("^[a-z0-9]+(-"):
            return [doc.problem(path, f"{name} {_describe(error.instance)} is not a valid id; use lowercase letters, digits and single hyphens{_slug_fix(str(error.instance))}")]
        if error.validator_value == SEGMENT_PATTERN:
            return [doc.problem(path, f"{name}: {segment_problem(str(error.instance))}")]
        if "10\\." in error.validator_value:
            return [doc.problem(path, f"{name} {_describe(error.instance)} is not a DOI; write it without the https://doi.org/ prefix, e.g. 10.1000/xyz123")]
        return [doc.problem(path, f"{name} {_describe(error.instance)} does not have the expected form (digits only for a PMID, e.g. \"12345678\")")]
    if kind in ("minimum", "maximum"):
        side = "below the minimum" if kind == "minimum" else "above the maximum"
        return [doc.problem(path, f"{name} is {error.instance}, {side} of {error.validator_value}; check the value against the source")]
    if kind in ("minItems", "minLength"):
        return [doc.problem(path, f"{name} is empty; give at least {error.validator_value} {'item' if kind == 'minItems' else 'character'}, or leave the field out if it is optional")]
    if kind in ("maxItems", "maxLength"):
        return [doc.problem(path, f"{name} is too long (at most {error.validator_value} {'items' if kind == 'maxItems' else 'characters'}); shorten it")]
    if kind == "uniqueItems":
        return [doc.problem(path, f"{name} lists the same value twice; list each value once")]
    if kind == "anyOf" and not path:
        options = [o["required"][0] for o in error.validator_value]
        if options == ["series", "patients"]:
            return [doc.problem(path, "a case file needs 'series:' (surgically treated cases) or 'patients:' (individual patients), or both")]
        return [doc.problem(path, "the file needs " + " or ".join(f"'{o}:'" for o in options)
                            + " (a finding states figures in values, or a conclusion in statement, or both)")]
    if kind == "propertyNames":
        return [doc.problem(path, f"{name} has a key that is not a valid id; use lowercase letters, digits and single hyphens")]
    return [doc.problem(path, f"{name}: {error.message}")]


def _misspelled(errors: list[ValidationError]) -> set[tuple[tuple, str]]:
    """(object path, required field) pairs that an unknown field in the same object probably meant."""
    meant = set()
    for error in errors:
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = list(error.schema.get("properties", {}))
            for extra in set(error.instance) - set(allowed):
                close = close_field(str(extra), allowed)
                if close:
                    meant.add((tuple(error.absolute_path), close[0]))
    return meant


def check_schema(doc: YamlDocument, kind: str, schema_dir: Path, compiled: dict | None = None) -> list[Problem]:
    """Every schema problem in `doc`, each located and explained. A misspelled field name is one
    problem ("did you mean 'age'?"), not also a missing required field."""
    schema, fast = _validators(schema_dir, kind, compiled)
    try:
        if fast.is_valid(doc.data):
            return []
    except (ValueError, TypeError):  # data JSON cannot hold (a key that is not text): jsonschema words it
        pass
    errors = list(_explaining(schema).iter_errors(doc.data))
    meant = _misspelled(errors)
    problems: list[Problem] = []
    for error in errors:
        if error.validator == "required":
            missing = re.match(r"'([^']+)'", error.message)
            if missing and (tuple(error.absolute_path), missing.group(1)) in meant:
                continue
        problems.extend(_messages(error, doc))
    return problems
