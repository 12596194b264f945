#!/usr/bin/env bash
# Like up.sh, but keeps what already runs (no wipe): for re-running one scenario while
# developing (CHAOS_KEEP_SERVICES=1). Each service script is idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mkdir -p "$CHAOS_STATE_DIR"
chmod 755 "$CHAOS_STATE_DIR"
bash "$CHAOS_SCRIPTS_DIR/rabbitmq.sh" start
bash "$CHAOS_SCRIPTS_DIR/postgres.sh" start
bash "$CHAOS_REPO_ROOT/scripts/flink/up.sh" >/dev/null
