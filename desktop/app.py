"""Composition root. Until the desktop window lands, it prepares the default project headless."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str]) -> int:
    """Open (creating on first run from the bundled seeds) the default project and summarise it."""
    from desktop.cli import main as cli_main
    from desktop.core.locations import default_project
    from desktop.core.resources import seeds_dir

    project = default_project()
    first_run = not project.exists()
    if first_run:
        print(f"First run: creating {project} from the sample corpus", file=sys.stderr)
        status = cli_main(["ingest", "--project", str(project), str(seeds_dir())])
        if status:
            return status
    print(
        "The desktop window is not built yet; the project is ready for the command line:",
        file=sys.stderr,
    )
    return cli_main(["stats", "--project", str(project)])
