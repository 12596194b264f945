#!/usr/bin/env bash
# Stops the Flink session cluster started by up.sh (TaskManager first) and removes pid files.
# Jars, config, logs, checkpoints and savepoints stay in <repo>/.cache/flink.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

stop_process taskmanager "$TM_PID_FILE"
stop_process jobmanager "$JM_PID_FILE"
