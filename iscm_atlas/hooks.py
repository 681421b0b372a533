"""MkDocs hooks: check the data before anything is built, and add the dataset export as a site file.

The export is an in-memory `File.generated`, so Markdown links to it are validated like any page
and nothing generated is committed.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from iscm_atlas import urls
from iscm_atlas.buildcache import dataset_or_fail
from iscm_atlas.export import dataset_json


def _data_dir(config) -> Path:
    return Path(config.config_file_path).parent / "data"


@event_priority(100)  # before mkdocs-macros renders any page
def on_config(config):
    dataset_or_fail(_data_dir(config))
    return config


def on_files(files: Files, config) -> Files:
    files.append(File.generated(config, urls.DATASET_JSON, content=dataset_json(dataset_or_fail(_data_dir(config)))))
    return files
