#!/usr/bin/env bash
# Set up (first time only) and start the program. Arguments go to main.py:
#   ./run.sh                       the window
#   ./run.sh --db FILE COMMAND     a headless command (see README.md)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/scripts/setup.sh"
exec "$here/.venv/bin/python" "$here/main.py" "$@"
