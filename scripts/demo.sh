#!/usr/bin/env bash
# Starts the app on the embedded demo store (created and seeded on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python main.py "$@"
