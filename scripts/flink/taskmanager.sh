#!/usr/bin/env bash
# Kills (-9) or (re)starts only the TaskManager of the cluster started by up.sh, so tests can
# check that jobs recover from a lost TaskManager.
#   taskmanager.sh kill    SIGKILL, like a crashed machine; returns at once
#   taskmanager.sh start   starts a new TaskManager and waits until it is registered
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
  kill)
    if pid="$(live_pid "$TM_PID_FILE")"; then
      kill -9 "$pid"
      # Reap check: the pid must be gone before a restart reuses the pid file.
      for _ in $(seq 1 100); do
        live_pid "$TM_PID_FILE" >/dev/null || break
        sleep 0.1
      done
      log "killed TaskManager (pid $pid)"
    else
      log "no TaskManager running"
    fi
    rm -f "$TM_PID_FILE"
    ;;
  start)
    if live_pid "$TM_PID_FILE" >/dev/null; then
      log "TaskManager already running"
      exit 0
    fi
    live_pid "$JM_PID_FILE" >/dev/null || { log "JobManager not running: run up.sh"; exit 1; }
    tm_id="$(new_taskmanager_id)"
    start_taskmanager "$tm_id"
    wait_for_taskmanager "$tm_id" "${FLINK_UP_TIMEOUT_S:-120}"
    ;;
  *)
    echo "usage: $0 start|kill" >&2
    exit 2
    ;;
esac
