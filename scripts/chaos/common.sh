# Shared by the chaos suite's scripts (sourced, not run): where the suite's OWN RabbitMQ node,
# PostgreSQL cluster and Flink session cluster live and listen. None of them is the machine's
# service: faults are injected on these instances only, so other users of the machine's
# RabbitMQ (5672), PostgreSQL (5432) and Flink (8081) are never disturbed.
# Every value can be overridden by env; jest.chaos.config.js uses the same defaults.
# shellcheck shell=bash

CHAOS_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHAOS_REPO_ROOT="$(cd "$CHAOS_SCRIPTS_DIR/../.." && pwd)"
CHAOS_STATE_DIR="${CHAOS_STATE_DIR:-${TMPDIR:-/tmp}/ruleshift-chaos}"

CHAOS_RABBITMQ_NODE="${CHAOS_RABBITMQ_NODE:-ruleshift-chaos@localhost}"
CHAOS_RABBITMQ_PORT="${CHAOS_RABBITMQ_PORT:-5673}"
CHAOS_RABBITMQ_DIST_PORT="${CHAOS_RABBITMQ_DIST_PORT:-25673}"
CHAOS_RABBITMQ_DIR="$CHAOS_STATE_DIR/rabbitmq"

CHAOS_POSTGRES_PORT="${CHAOS_POSTGRES_PORT:-5433}"
CHAOS_POSTGRES_DIR="$CHAOS_STATE_DIR/postgres"

export FLINK_REST_PORT="${CHAOS_FLINK_REST_PORT:-8281}"
export FLINK_RPC_PORT="${CHAOS_FLINK_RPC_PORT:-6323}"
export FLINK_CACHE_DIR="${CHAOS_FLINK_CACHE_DIR:-$CHAOS_REPO_ROOT/.cache/flink-chaos}"

chaos_log() { echo "[chaos] $*" >&2; }

# True when something accepts TCP connections on 127.0.0.1:<port>.
port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The machine's rabbitmqctl (it runs as the rabbitmq user with that user's Erlang cookie),
# pointed at the suite's node.
chaos_rabbitmqctl() { rabbitmqctl -n "$CHAOS_RABBITMQ_NODE" "$@"; }

# The environment rabbitmq-server reads to run a second, independent node: own name, ports,
# config (listener on CHAOS_RABBITMQ_PORT), plugins file and data/log/pid paths.
rabbitmq_env() {
  export RABBITMQ_NODENAME="$CHAOS_RABBITMQ_NODE"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$CHAOS_RABBITMQ_PORT"
  export RABBITMQ_DIST_PORT="$CHAOS_RABBITMQ_DIST_PORT"
  export RABBITMQ_CONFIG_FILE="$CHAOS_RABBITMQ_DIR/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$CHAOS_RABBITMQ_DIR/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$CHAOS_RABBITMQ_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$CHAOS_RABBITMQ_DIR/log"
  export RABBITMQ_PID_FILE="$CHAOS_RABBITMQ_DIR/rabbitmq.pid"
}

# initdb, pg_ctl: the newest PostgreSQL installed from the distribution's packages.
postgres_bin() {
  local dir
  dir="$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)"
  [[ -n "$dir" ]] || { chaos_log "no PostgreSQL under /usr/lib/postgresql"; return 1; }
  echo "$dir"
}

# Runs a command as the postgres user (PostgreSQL refuses to run as root).
as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

# The chaos cluster restarts a failed job 20 times, 4 s apart: that bridges a RabbitMQ restart
# (about 50 s on a loaded 2-core machine), while a job that lost its only TaskManager (slot
# requests time out after 2 s) ends FAILED within about two minutes instead of waiting for slots
# forever, so "restarted from FAILED through the API" is reachable.
export FLINK_DYNAMIC_PROPERTIES="${CHAOS_FLINK_DYNAMIC_PROPERTIES:-restart-strategy.fixed-delay.attempts=20 restart-strategy.fixed-delay.delay=4s slot.request.timeout=2000}"

# The chaos cluster is (re)started by the suite's setup and its TaskManager by the TaskManager-kill
# scenario, often while the machine is busy: wait up to 5 minutes for a JobManager and a
# TaskManager to come up instead of the Flink scripts' 2 (a real process start, not a hang).
export FLINK_UP_TIMEOUT_S="${CHAOS_FLINK_UP_TIMEOUT_S:-300}"
