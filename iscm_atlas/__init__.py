"""ISCM Atlas: evidence on intramedullary spinal cord metastases, from YAML data to a static site.

The package is pure Python with no MkDocs import outside `macros.py` and `hooks.py`, so the same
checks serve the validator CLI, the site build and the tests ("one check, three callers").
"""
