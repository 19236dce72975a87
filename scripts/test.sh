#!/usr/bin/env bash
# Runs the whole test suite: lint, types, then unit, integration and UI tests (offscreen Qt).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
# PostgreSQL for the head-office fault tests: Debian's package (installed when missing), a throwaway cluster
# on loopback. Where it cannot be had those tests skip and give the reason; they never pass silently.
pg_dir=$(mktemp -d)
trap 'bash scripts/pg-cluster.sh stop "$pg_dir/cluster" || true; rm -rf "$pg_dir"' EXIT
if pg_url=$(bash scripts/pg-cluster.sh start "$pg_dir/cluster" 2>"$pg_dir/error"); then
  export PERFUME_OUD_TEST_PG="$pg_url"
else
  export PERFUME_OUD_TEST_PG_SKIP="$(tail -n 3 "$pg_dir/error" | tr '\n' ' ')"
  echo "test: PostgreSQL unavailable, its tests will skip: $PERFUME_OUD_TEST_PG_SKIP"
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest -q -n 2 "$@"
if (($# == 0)); then
  # No test may depend on the real date: the domain, storage and UI tests run again with every process's clock
  # 463 days ahead (libfaketime, so that subprocesses agree). The camera-thread tests stay out: libfaketime
  # rewrites the deadlines of timed thread waits, so QThread.wait(ms) returns before the thread ends; they read
  # no date. (Leaving the monotonic clock unfaked instead breaks time.sleep, whose absolute deadlines it reads.)
  echo "test: again with the clock moved (faketime -f +40000000s)"
  faketime -f +40000000s .venv/bin/python -m pytest -q -n 2 -p no:cacheprovider \
    -m "not camera_thread" tests/unit tests/integration tests/ui
fi
