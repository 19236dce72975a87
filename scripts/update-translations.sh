#!/usr/bin/env bash
# Refreshes translations/*.ts from the source (new strings appear as unfinished for Qt Linguist).
# ar.ts holds every visible string; en.ts only the plural forms, which English source text cannot carry.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(git ls-files --cached --others --exclude-standard 'main.py' 'core/*.py' 'storage/*.py' 'sync/*.py' 'ui/*.py')
.venv/bin/pyside6-lupdate -no-obsolete -locations none "${sources[@]}" -ts translations/ar.ts
.venv/bin/pyside6-lupdate -no-obsolete -locations none -pluralonly -source-language en -target-language en \
  "${sources[@]}" -ts translations/en.ts
