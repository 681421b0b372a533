"""`python -m iscm_atlas.render [PROJECT]` (make render): write the site as a plain docs tree into build/."""
from __future__ import annotations

import sys
from pathlib import Path

from iscm_atlas.render.build import BuildError
from iscm_atlas.render.tree import render_site


def main(argv: list[str]) -> int:
    project = Path(argv[0]) if argv else Path.cwd()
    try:
        print(render_site(project).summary())
    except BuildError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
