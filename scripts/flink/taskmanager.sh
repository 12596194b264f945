#!/usr/bin/env bash
# Kills (-9) or (re)starts only the TaskManagers of the cluster started by up.sh, so tests can
# check that jobs recover from lost TaskManagers.
#   taskmanager.sh kill    SIGKILL to every TaskManager, like a crashed machine; returns at once
#   taskmanager.sh start   starts the TaskManagers up.sh started (its count) that are not
#                          running and waits until each is registered
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
  kill)
    killed=0
    for pid_file in $(all_tm_pid_files); do
      if pid="$(live_pid "$pid_file")"; then
        kill -9 "$pid"
        # Reap check: the pid must be gone before a restart reuses the pid file.
        for _ in $(seq 1 100); do
          live_pid "$pid_file" >/dev/null || break
          sleep 0.1
        done
        log "killed $(basename "$pid_file" .pid) (pid $pid)"
        killed=$((killed + 1))
      fi
      rm -f "$pid_file"
    done
    ((killed > 0)) || log "no TaskManager running"
    ;;
  start)
    live_pid "$JM_PID_FILE" >/dev/null || { log "JobManager not running: run up.sh"; exit 1; }
    start_missing_taskmanagers "$(recorded_taskmanager_count)" "${FLINK_UP_TIMEOUT_S:-120}"
    ;;
  *)
    echo "usage: $0 start|kill" >&2
    exit 2
    ;;
esac
