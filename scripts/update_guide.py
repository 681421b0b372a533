"""Regenerate the field reference (from data/schemas/) and the macro list (from the macro registry,
iscm_atlas/render/macros.py) inside CONTRIBUTING.md.

    make guide      (or: python scripts/update_guide.py; --check exits 1 if the file is out of date)

A test runs --check, so a schema change without the guide fails CI with this command as the fix.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iscm_atlas.content.fieldref import with_macro_reference, with_reference  # noqa: E402
from iscm_atlas.render.macros import macro_registry  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report whether the guide is current")
    args = parser.parse_args(argv)
    guide_path = ROOT / "CONTRIBUTING.md"
    guide = guide_path.read_text(encoding="utf-8")
    updated = with_macro_reference(with_reference(guide, ROOT / "data" / "schemas"), macro_registry(ROOT))
    if args.check:
        if updated != guide:
            print("CONTRIBUTING.md: the field reference is out of date; run `make guide`", file=sys.stderr)
            return 1
        return 0
    if updated != guide:
        guide_path.write_text(updated, encoding="utf-8")
        print("CONTRIBUTING.md: field reference updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
