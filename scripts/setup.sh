#!/usr/bin/env bash
# Prepares a fresh Debian machine to run the app and its tests: system libraries Qt and the
# QR decoders load, a virtual environment with the pinned Python dependencies, compiled translations.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
              libzbar0 libraqm0 libxcb-cursor0 faketime)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python dependencies"
  .venv/bin/python -m pip install -q --upgrade pip
  # sqlcipher3-wheels replaced sqlcipher3-binary: both install the module sqlcipher3, so the old one goes first.
  .venv/bin/python -m pip uninstall -q -y sqlcipher3-binary 2>/dev/null || true
  .venv/bin/python -m pip install -q -r requirements.lock
  echo "$want" > "$stamp"
fi

# Compiled translations are build output: rebuilt whenever a .ts is newer than its .qm.
for ts in translations/*.ts; do
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    .venv/bin/pyside6-lrelease -silent "$ts" -qm "$qm"
  fi
done
