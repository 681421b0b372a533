"""Load and check the data once per build (and again under `mkdocs serve` only after an edit).

The hooks and the macros module both need the Dataset; they share this cache, keyed on every data
file's size and modification time, so each build validates the data exactly once.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from iscm_atlas.data.dataset import data_files, load_dataset
from iscm_atlas.data.model import Dataset
from iscm_atlas.data.problems import format_report

_cache: dict[Path, tuple[tuple, Dataset]] = {}
_current: dict[Path, Dataset] = {}  # the dataset of the build under way, set once in on_config


def _fingerprint(data_dir: Path) -> tuple:
    files = [*data_files(data_dir), *sorted((data_dir / "schemas").glob("*.json"))]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)


_figures: dict[str, dict] = {}


def figures_for(ds: Dataset) -> dict:
    """The evidence figures of a dataset (they feed pages, SVGs and CSVs). Keyed on the records they
    are computed from, so a build computes them once, and `mkdocs serve` again only after an edit
    that changes them."""
    from iscm_atlas.content.figures import all_figures
    from iscm_atlas.content.tables import used_sites

    years = {r: ref.year for r, ref in ds.references.items()}
    key = repr((ds.patients, ds.series, years, used_sites(ds), ds.vocabularies))
    if key not in _figures:
        _figures.clear()
        _figures[key] = all_figures(ds, used_sites(ds))
    return _figures[key]


def begin_build(data_dir: Path) -> Dataset:
    """Load (or, if no data file changed since the last build, reuse) the data for a new build."""
    data_dir = Path(data_dir).resolve()
    _current.pop(data_dir, None)
    _current[data_dir] = dataset = _load(data_dir)
    return dataset


def dataset_or_fail(data_dir: Path) -> Dataset:
    """The checked Dataset of the build under way, or a PluginError carrying the validator's report
    (MkDocs prints it, no traceback). Pages call this; only begin_build looks at the files."""
    data_dir = Path(data_dir).resolve()
    current = _current.get(data_dir)
    return current if current is not None else begin_build(data_dir)


def _load(data_dir: Path) -> Dataset:
    key = _fingerprint(data_dir)
    cached = _cache.get(data_dir)
    if cached and cached[0] == key:
        return cached[1]
    result = load_dataset(data_dir)
    if not result.ok:
        raise PluginError("The data has problems; the site was not built.\n" + format_report(result.problems))
    _cache[data_dir] = (key, result.dataset)
    return result.dataset
