#!/usr/bin/env bash
# Build dist/Factdesk/ (onedir) with PyInstaller from the project's virtualenv.
# Usage: packaging/build.sh   (or `make package`, which sets up .venv first)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
rm -rf build/factdesk dist/Factdesk
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level ERROR \
    --distpath dist --workpath build/factdesk packaging/factdesk.spec
rm -rf build/factdesk
rmdir build 2>/dev/null || true
echo "bundle: dist/Factdesk/Factdesk"
echo "bundle size: $(du -sh dist/Factdesk | cut -f1)"
