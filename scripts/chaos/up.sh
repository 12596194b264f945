#!/usr/bin/env bash
# Starts the chaos suite's own services, beside (never instead of) the machine's: a RabbitMQ
# node, a PostgreSQL cluster and a Flink session cluster (see common.sh for names and ports).
# Their state lives in CHAOS_STATE_DIR (wiped here) and, for Flink, CHAOS_FLINK_CACHE_DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$CHAOS_SCRIPTS_DIR/down.sh"
rm -rf "$CHAOS_STATE_DIR"
mkdir -p "$CHAOS_STATE_DIR"
chmod 755 "$CHAOS_STATE_DIR"
bash "$CHAOS_SCRIPTS_DIR/rabbitmq.sh" start
bash "$CHAOS_SCRIPTS_DIR/postgres.sh" start
# Checkpoints and savepoints of an earlier run are of jobs that no longer exist.
rm -rf "$FLINK_CACHE_DIR/checkpoints" "$FLINK_CACHE_DIR/savepoints"
bash "$CHAOS_REPO_ROOT/scripts/flink/up.sh" >/dev/null
chaos_log "services up: RabbitMQ 127.0.0.1:$CHAOS_RABBITMQ_PORT, PostgreSQL 127.0.0.1:$CHAOS_POSTGRES_PORT, Flink http://127.0.0.1:$FLINK_REST_PORT"
