"""Hostile and broken data: each category is rejected with a located message (never a traceback),
or, for free text, published as inert text. Categories already covered message-for-message in
test_validator.py: YAML python tags, aliases, duplicate keys, non-UTF-8 bytes, a BOM, tabs, wrong
types, implausible survival, an empty file, a list instead of a mapping."""
from __future__ import annotations

import shutil
import string

import pytest
import yaml
from conftest import ROOT
from contributions import PAYLOADS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validator import CASE, FILE, REFERENCE

from iscm_atlas.data.dataset import load_dataset
from iscm_atlas.formats.export import dataset_dict


@pytest.fixture
def data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "references" / "example-2099.yaml").write_text(REFERENCE, encoding="utf-8")
    return data


def problems(data, text, name="example-2099.yaml", folder="cases"):
    target = data / folder / name
    target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return [str(p) for p in sorted(load_dataset(data).problems)]


def test_billion_laughs_is_refused_before_expansion(data):
    bomb = "id: example-2099\nreference: example-2099\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    assert problems(data, bomb) == [f"{FILE}:4:8: anchors and aliases (&name / *name) are not allowed in data files; "
                                    "write the value out in full"]


def test_file_over_one_megabyte(data):
    big = CASE + "notes:\n" + "".join(f"  - '{'x' * 1000}'\n" for _ in range(1100))
    assert problems(data, big) == [f"{FILE}:1:1: file is {len(big.encode()):,} bytes, over the 1,000,000-byte limit; "
                                   "split it into one file per publication"]


def test_deep_nesting(data):
    deep = CASE + "notes: " + "[" * 60 + "]" * 60 + "\n"
    found = problems(data, deep)
    assert len(found) == 1 and "nesting deeper than 20 levels" in found[0]


@pytest.mark.parametrize("old, new, message", [
    ("age: 51", "age: -3", "patients[0].age is -3, below the minimum of 0"),
    ("age: 51", "age: 100000000000000000000", "patients[0].age is 100000000000000000000, above the maximum of 120"),
    ("survival_months: 4", "survival_months: 1.0e+308", "patients[0].survival_months is 1e+308, above the maximum of 600"),
    ("survival_months: 4", "survival_months: 1e308", "patients[0].survival_months must be a number or null (not reported), not '1e308'"),
    ("surgically_treated: 2", "surgically_treated: -1", "series[0].surgically_treated is -1, below the minimum of 1"),
])
def test_huge_or_negative_numbers(data, old, new, message):
    found = problems(data, CASE.replace(old, new))
    assert len(found) == 1 and message in found[0]


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "a/b", "Silva-1967", "silva--1967", "silva_1967", "x" * 81])
def test_ids_with_slashes_traversal_or_capitals_are_refused(data, bad_id):
    found = problems(data, CASE.replace("id: example-2099-p1", f"id: '{bad_id}'"))
    assert len(found) == 1 and "is not a valid id" in found[0] or "too long" in found[0], found


def test_ids_differing_only_in_case_cannot_coexist(data):
    # ids are lowercase by rule; a file named in capitals is still its own mismatch
    assert problems(data, CASE, name="Example-2099.yaml") == [
        "data/cases/Example-2099.yaml:1:5: id 'example-2099' differs from the file name 'Example-2099.yaml'; "
        "rename the file to example-2099.yaml or write id: Example-2099"]


@pytest.mark.parametrize("doi", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "https://evil.example/x"])
def test_link_fields_take_no_urls(data, doi):
    reference = REFERENCE.replace("type: article-journal", f"type: article-journal\nDOI: '{doi}'")
    found = problems(data, reference, folder="references")
    assert len(found) == 1 and "is not a DOI" in found[0]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_in_every_free_text_field_is_published_as_text(contributed_site, payload):
    """Each payload sits in every free-text field of one contributed publication (tests/contributions.py),
    and the first also in a finding's label: no page carries it as markup, and its page shows it as text."""
    site = contributed_site.site
    pages = [p for p in site.rglob("*.html")]
    if "<" in payload:  # markup must never reach a page as markup
        assert [p for p in pages if payload in p.read_text(encoding="utf-8")] == []
    rid = f"hostile-{2091 + PAYLOADS.index(payload)}"
    shown = (site / "references" / rid / "index.html").read_text(encoding="utf-8")
    assert ("&lt;" in shown) if "<" in payload else (payload in shown)  # shown as text, not run as a template


VOCAB = {name: [t["id"] for t in yaml.safe_load((ROOT / "data" / "vocabularies" / f"{name}.yaml").read_text())["terms"]]
         for name in ("primary-sites", "spinal-levels", "outcomes")}
maybe = lambda strategy: st.one_of(st.none(), strategy)  # noqa: E731
patient_values = st.fixed_dictionaries({
    "age": maybe(st.integers(0, 120)),
    "level": maybe(st.lists(st.sampled_from(VOCAB["spinal-levels"]), min_size=1, max_size=3, unique=True)),
    "primary_site": maybe(st.sampled_from(VOCAB["primary-sites"])),
    "surgery": maybe(st.booleans()), "radiotherapy": maybe(st.booleans()), "chemotherapy": maybe(st.booleans()),
    "outcome": maybe(st.sampled_from(VOCAB["outcomes"])),
    "survival_months": maybe(st.one_of(st.integers(0, 600), st.floats(0, 600, allow_nan=False).map(lambda f: round(f, 1)))),
    "alive": maybe(st.booleans()),
})


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A small data folder (schemas, vocabularies, one reference) so each example loads fast."""
    data = tmp_path_factory.mktemp("hypo") / "data"
    for folder in ("schemas", "vocabularies"):
        shutil.copytree(ROOT / "data" / folder, data / folder)
    for folder in ("references", "cases", "findings"):
        (data / folder).mkdir()
    (data / "references" / "example-2099.yaml").write_text(REFERENCE, encoding="utf-8")
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(patient_values, min_size=1, max_size=4))
def test_random_valid_patients_round_trip_to_the_export(scratch, values):
    records = [{"id": f"example-2099-p{i}", **v, "source": {"document": "example-2099"}} for i, v in enumerate(values, 1)]
    case = {"id": "example-2099", "reference": "example-2099", "patients": records}
    (scratch / "cases" / "example-2099.yaml").write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    result = load_dataset(scratch)
    assert result.ok, [str(p) for p in result.problems]
    exported = [p for p in dataset_dict(result.dataset)["patients"] if p["reference"] == "example-2099"]
    assert exported == [{**r, "reference": "example-2099"} for r in records] or \
        sorted(exported, key=lambda p: p["id"]) == sorted(({**r, "reference": "example-2099"} for r in records), key=lambda p: p["id"])


junk = st.one_of(
    st.binary(max_size=300),
    st.text(alphabet=string.printable + "äé\t\u00a0&*!|>-[]{}:#", max_size=300),
    st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20)),
                 lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                 max_leaves=20).map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk)
def test_random_junk_never_crashes_the_validator(scratch, content):
    target = scratch / "cases" / "junk-2099.yaml"
    target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    try:
        result = load_dataset(scratch)  # must return problems, never raise
    finally:
        target.unlink()
    for problem in result.problems:
        assert problem.path and problem.message


# --- every YAML reader is as safe as yaml.safe_load ------------------------------------------------------------

PYTHON_TAG = "id: x\nage: !!python/object/apply:os.system ['echo unsafe']\n"


def test_every_pyyaml_reader_is_a_safe_loader():
    """The readers of data files and of mkdocs.yml construct with SafeConstructor only: no Python object."""
    from iscm_atlas.data import yamlfile
    from iscm_atlas.render.engines import EnvSafeLoader

    for loader in (yamlfile._Loader, yamlfile._FastLoader, EnvSafeLoader):
        assert issubclass(loader, yaml.constructor.SafeConstructor)
        assert not issubclass(loader, (yaml.constructor.FullConstructor, yaml.constructor.UnsafeConstructor))
        reader = loader(PYTHON_TAG)  # as iscm_atlas reads a text: the loader itself, never yaml.load
        try:
            with pytest.raises(yaml.constructor.ConstructorError):
                reader.get_single_data()
        finally:
            reader.dispose()


def test_the_rust_reader_never_sees_a_tag_or_an_alias_and_builds_plain_values():
    from iscm_atlas.data.plainscan import plain_values_agree
    from iscm_atlas.data.yamlfile import _rust_parse

    for text in (PYTHON_TAG, "id: x\nage: !custom 3\n", "id: x\na: &a 1\nb: *a\n"):
        assert not plain_values_agree(text) and _rust_parse(text, "x.yaml") is None
    doc = _rust_parse("id: x\nage: 51\nlevel: [C7, T1]\nalive: false\nnote: null\nmap: {a: 1.5}\n", "x.yaml")

    def plain(value) -> bool:
        if isinstance(value, dict):
            return all(type(k) is str and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or type(value) in (str, int, float, bool)

    assert doc is not None and plain(doc.data)


def test_a_python_tag_in_mkdocs_yml_stops_the_build_with_a_message(tmp_path):
    from iscm_atlas.render.build import BuildError
    from iscm_atlas.render.engines import read_config

    (tmp_path / "mkdocs.yml").write_text("site_name: !!python/object/apply:os.system ['echo unsafe']\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"mkdocs.yml:1: not valid YAML"):
        read_config(tmp_path)
