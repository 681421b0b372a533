"""Any valid layout of the same data is the same data: the data files rewritten in other layouts a person might write
(keys in another order, sequences indented or not, comments, long texts folded; inline short mappings are the
scaffold's own layout, tests/test_units_emit.py) pass `make validate` (every check the suite runs on data, yamllint included) and load into the same dataset,
exported as the same records."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from iscm_atlas.data.dataset import load_dataset
from iscm_atlas.data.emit import with_folded_texts
from iscm_atlas.data.lint import schema_line
from iscm_atlas.formats.export import dataset_json

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"cases": "case", "references": "reference", "findings": "finding"}


class _Indented(yaml.SafeDumper):
    """Sequences indented under their key ("key:\\n  - item"), as many editors write them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _reversed(value):
    if isinstance(value, dict):
        return {k: _reversed(v) for k, v in reversed(list(value.items()))}
    if isinstance(value, list):
        return [_reversed(v) for v in value]
    return value


# Long texts are folded onto lines of their own (emit.with_folded_texts), as a person keeps lines within the limit.
LAYOUTS = {
    "keys reversed, block style, sequences indented": lambda data: with_folded_texts(_reversed(data), lambda d: yaml.dump(
        d, Dumper=_Indented, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000)),
    "keys sorted, sequences at the key's column, a comment per record": lambda data: "# written by hand\n" + (
        with_folded_texts(data, lambda d: yaml.dump(d, Dumper=yaml.SafeDumper, sort_keys=True, allow_unicode=True,
                                                    default_flow_style=False, width=10_000))
        .replace("\n- id:", "\n# the next record\n- id:")),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_same_data_in_another_layout_validates_and_loads_the_same(tmp_path, layout):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(ROOT / ".yamllint.yaml", tmp_path / ".yamllint.yaml")
    for folder, kind in KINDS.items():
        for path in (data / folder).glob("*.yaml"):
            record = yaml.safe_load(path.read_text(encoding="utf-8"))
            path.write_text(f"{schema_line(kind)}\n{LAYOUTS[layout](record)}", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), str(data)], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout
    # the same records in the same order (a key's place in a mapping carries no meaning)
    assert json.loads(dataset_json(load_dataset(data).dataset)) == json.loads(dataset_json(load_dataset(ROOT / "data").dataset))
