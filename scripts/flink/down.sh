#!/usr/bin/env bash
# Stops the Flink session cluster started by up.sh (every TaskManager first, then the
# JobManager) and removes pid files. Jars, config, logs, checkpoints and savepoints stay in
# <repo>/.cache/flink.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

for pid_file in $(all_tm_pid_files); do
  stop_process "$(basename "$pid_file" .pid)" "$pid_file"
done
stop_process jobmanager "$JM_PID_FILE"
rm -f "$TM_COUNT_FILE"
