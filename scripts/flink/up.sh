#!/usr/bin/env bash
# Starts a Flink 1.20 session cluster (one JobManager, N TaskManagers with 4 slots each) from
# Maven Central jars, without Docker or a Flink tarball; everything lives in <repo>/.cache/flink.
# Idempotent: a healthy running cluster is left alone; a running one with another number of
# TaskManagers gets the missing ones started or the extra ones stopped. Prints the REST URL.
#   up.sh [N]   N TaskManagers (1-16): the argument, else FLINK_TASKMANAGERS, else 1
#   FLINK_REST_PORT (8081)  FLINK_RPC_PORT (6123)  FLINK_UP_TIMEOUT_S (120)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

for tool in java mvn curl jq; do
  command -v "$tool" >/dev/null || { log "missing required tool: $tool"; exit 1; }
done

# Downloads the jars only when the lib dir is missing or dist/pom.xml changed since last time.
ensure_lib() {
  local pom="$FLINK_SCRIPTS_DIR/dist/pom.xml" stamp="$FLINK_HOME_DIR/lib.stamp" want
  want="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -d "$FLINK_LIB_DIR" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return
  fi
  log "fetching Flink jars from Maven Central into $FLINK_LIB_DIR"
  rm -rf "$FLINK_LIB_DIR" "$stamp"
  mkdir -p "$FLINK_HOME_DIR"
  mvn -B -ntp -q -Dstyle.color=never -f "$pom" dependency:copy-dependencies \
    -DoutputDirectory="$FLINK_LIB_DIR" >&2
  echo "$want" >"$stamp"
}

write_config() {
  mkdir -p "$FLINK_CONF_DIR" "$FLINK_LOG_DIR" "$FLINK_RUN_DIR" \
    "$FLINK_HOME_DIR/upload" "$FLINK_HOME_DIR/checkpoints" "$FLINK_HOME_DIR/savepoints" \
    "$FLINK_HOME_DIR/tmp"
  cat >"$FLINK_CONF_DIR/config.yaml" <<YAML
# Written by scripts/flink/up.sh on every run; edit the script, not this file.
jobmanager:
  bind-host: 127.0.0.1
  rpc:
    address: 127.0.0.1
    port: ${FLINK_RPC_PORT}
  execution:
    failover-strategy: region
taskmanager:
  bind-host: 127.0.0.1
  host: 127.0.0.1
  # Several rules run at once, each a job with parallelism 1 or (partitioned input) more.
  numberOfTaskSlots: 4
  # A parallel rule's subtasks go to every TaskManager, not the first one's slots first.
  load-balance:
    mode: SLOTS
parallelism:
  default: 1
rest:
  address: 127.0.0.1
  bind-address: 127.0.0.1
  port: ${FLINK_REST_PORT}
web:
  submit:
    enable: true
  cancel:
    enable: true
  upload:
    dir: ${FLINK_HOME_DIR}/upload
io:
  tmp:
    dirs: ${FLINK_HOME_DIR}/tmp
state:
  backend:
    type: hashmap
execution:
  checkpointing:
    dir: file://${FLINK_HOME_DIR}/checkpoints
    savepoint-dir: file://${FLINK_HOME_DIR}/savepoints
    # Kept after a cancel or failure, so a rule restarted through the API resumes from its
    # newest completed checkpoint (inputs are acked at every checkpoint).
    externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
    num-retained: 2
# A killed TaskManager's jobs restart (on the same or a new TaskManager) instead of failing.
restart-strategy:
  type: fixed-delay
  fixed-delay:
    attempts: 1000
    delay: 2 s
# Notice a dead TaskManager within ~10 s instead of the default 50 s: heartbeats every
# second, and two failed heartbeat RPCs (connection refused after kill -9) mark it lost.
heartbeat:
  interval: 1000
  timeout: 10000
  rpc-failure-threshold: 2
YAML
  cat >"$FLINK_CONF_DIR/log4j.properties" <<'PROPS'
# Each process logs to the file named by -Dlog.file (set by scripts/flink/common.sh).
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.filePattern = ${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 50MB
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = 5
PROPS
}

wait_for_rest() {
  local deadline=$((SECONDS + $1))
  while ((SECONDS < deadline)); do
    [[ -n "$(rest_overview)" ]] && return 0
    live_pid "$JM_PID_FILE" >/dev/null || {
      log "JobManager died; see $FLINK_LOG_DIR/jobmanager.log and jobmanager.out"
      return 1
    }
    sleep 1
  done
  log "JobManager REST did not answer within $1 s"
  return 1
}

# True when TaskManagers 1..count all run and no other TaskManager of this cluster does.
exactly_these_taskmanagers_live() {
  local count="$1" index pid_file
  for ((index = 1; index <= count; index++)); do
    live_pid "$(tm_pid_file "$index")" >/dev/null || return 1
  done
  for pid_file in $(all_tm_pid_files); do
    index="$(tm_index_of "$pid_file")"
    [[ -n "$index" ]] && ((index <= count)) || return 1
  done
}

# Stops the TaskManagers beyond the count asked for (a cluster started with more, or one of
# the unnumbered taskmanager.pid written before TaskManagers were numbered).
stop_extra_taskmanagers() {
  local count="$1" pid_file index
  for pid_file in $(all_tm_pid_files); do
    index="$(tm_index_of "$pid_file")"
    if [[ -z "$index" ]] || ((index > count)); then
      stop_process "$(basename "$pid_file" .pid)" "$pid_file"
    fi
  done
}

main() {
  local timeout_s="${FLINK_UP_TIMEOUT_S:-120}" started_at=$SECONDS jm_pid count
  count="$(taskmanager_count "${1:-}")" || exit 2
  if jm_pid="$(live_pid "$JM_PID_FILE")" && exactly_these_taskmanagers_live "$count" &&
    (($(registered_taskmanagers) >= count)); then
    log "already running with $count TaskManager(s) (JobManager pid $jm_pid)"
    echo "$FLINK_REST_URL_LOCAL"
    return
  fi
  if ! live_pid "$JM_PID_FILE" >/dev/null && [[ -n "$(rest_overview)" ]]; then
    log "port $FLINK_REST_PORT already answers as Flink but not from this repo's cluster;" \
      "stop it or set FLINK_REST_PORT"
    exit 1
  fi

  ensure_lib
  write_config
  if ! live_pid "$JM_PID_FILE" >/dev/null; then
    start_jobmanager
  fi
  wait_for_rest "$timeout_s"
  stop_extra_taskmanagers "$count"
  echo "$count" >"$TM_COUNT_FILE"
  start_missing_taskmanagers "$count" $((timeout_s - (SECONDS - started_at)))
  # TaskManagers alive but not (yet) registered, e.g. up.sh re-run while they start.
  wait_for_registered_taskmanagers "$count" $((timeout_s - (SECONDS - started_at)))
  log "Flink session cluster is up with $count TaskManager(s)"
  echo "$FLINK_REST_URL_LOCAL"
}

wait_for_registered_taskmanagers() {
  local count="$1" deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    (($(registered_taskmanagers) >= count)) && return 0
    sleep 1
  done
  log "fewer than $count TaskManagers registered within $2 s; see $FLINK_LOG_DIR"
  return 1
}

main "$@"
