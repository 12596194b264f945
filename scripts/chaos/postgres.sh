#!/usr/bin/env bash
# The chaos suite's own PostgreSQL cluster (initdb into CHAOS_STATE_DIR/postgres, trust auth,
# 127.0.0.1:CHAOS_POSTGRES_PORT), run as the postgres user with the distribution's pg_ctl.
#   postgres.sh start     initdb on first start, then pg_ctl start (waits until it accepts)
#   postgres.sh stop      pg_ctl stop -m fast
#   postgres.sh restart   pg_ctl restart -m fast: the server process really goes away
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BIN="$(postgres_bin)"
DATA="$CHAOS_POSTGRES_DIR/data"
OPTS="-p $CHAOS_POSTGRES_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$CHAOS_POSTGRES_DIR -c max_connections=200 -c fsync=off"

start() {
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    mkdir -p "$CHAOS_POSTGRES_DIR"
    [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$CHAOS_POSTGRES_DIR"
    as_postgres "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 >/dev/null
  fi
  if as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then return 0; fi
  as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$CHAOS_POSTGRES_DIR/postgres.log" -o "$OPTS" -w -t 60 start >/dev/null
  chaos_log "PostgreSQL up on 127.0.0.1:$CHAOS_POSTGRES_PORT ($DATA)"
}

stop() {
  if [[ -f "$DATA/PG_VERSION" ]] && as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    chaos_log "PostgreSQL on $CHAOS_POSTGRES_PORT stopped"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart)
    as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$CHAOS_POSTGRES_DIR/postgres.log" -o "$OPTS" -m fast -w -t 60 restart >/dev/null
    chaos_log "PostgreSQL on $CHAOS_POSTGRES_PORT restarted"
    ;;
  *)
    echo "usage: $0 start|stop|restart" >&2
    exit 2
    ;;
esac
