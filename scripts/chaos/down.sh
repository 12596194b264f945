#!/usr/bin/env bash
# Stops what up.sh started (Flink, PostgreSQL, RabbitMQ of the chaos suite) and leaves the
# machine's own services alone. Safe to run when nothing is up.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$CHAOS_REPO_ROOT/scripts/flink/down.sh"
bash "$CHAOS_SCRIPTS_DIR/postgres.sh" stop
bash "$CHAOS_SCRIPTS_DIR/rabbitmq.sh" stop
exit 0
