#!/usr/bin/env bash
# Set up (first time only) and run the whole test suite, headless.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/scripts/setup.sh" --dev
cd "$here"
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -q "$@"
