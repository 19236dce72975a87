#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on loopback only.
#   pg-cluster.sh start DIR   installs Debian's postgresql when missing, starts a cluster in DIR, prints its URL
#   pg-cluster.sh stop DIR    stops it
# As root the server runs as the 'postgres' user (initdb refuses root). Exits non-zero, saying why, when it cannot.
set -euo pipefail
action=${1:?start|stop}
dir=${2:?cluster directory}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    if [ -z "$(pg_bin)" ]; then
      echo "pg-cluster: installing postgresql" >&2
      if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
      $SUDO apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
    fi
    bin=$(pg_bin)
    [ -n "$bin" ] || { echo "pg-cluster: postgresql is not installed" >&2; exit 1; }
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$dir"
      # the server's user must reach DIR through its (temporary) parents
      up=$(dirname "$(realpath "$dir")")
      while [ "$up" != / ]; do chmod o+x "$up"; up=$(dirname "$up"); done
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
    # Test data only: durability settings off for speed; loopback only.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
    echo "$port" > "$dir/port"
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin=$(pg_bin)
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
