"""PyInstaller entry point: the same `factdesk` command (GUI without arguments, CLI with)."""

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
