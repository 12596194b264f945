# Shared by up.sh, down.sh and taskmanager.sh (sourced, not run): paths, JVM flags, process
# helpers for a Flink session cluster built from Maven Central jars under <repo>/.cache/flink.
# shellcheck shell=bash

FLINK_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$FLINK_SCRIPTS_DIR/../.." && pwd)"
FLINK_HOME_DIR="${FLINK_CACHE_DIR:-$REPO_ROOT/.cache/flink}"
FLINK_LIB_DIR="$FLINK_HOME_DIR/lib"
FLINK_CONF_DIR="$FLINK_HOME_DIR/conf"
FLINK_LOG_DIR="$FLINK_HOME_DIR/log"
FLINK_RUN_DIR="$FLINK_HOME_DIR/run"
FLINK_REST_PORT="${FLINK_REST_PORT:-8081}"
FLINK_RPC_PORT="${FLINK_RPC_PORT:-6123}"
FLINK_REST_URL_LOCAL="http://127.0.0.1:${FLINK_REST_PORT}"
JM_PID_FILE="$FLINK_RUN_DIR/jobmanager.pid"
# How many TaskManagers up.sh last started (taskmanager.sh start restarts that many).
TM_COUNT_FILE="$FLINK_RUN_DIR/taskmanagers"

# TaskManager n (1-based) of the cluster: its pid file and its log name.
tm_pid_file() { echo "$FLINK_RUN_DIR/taskmanager-$1.pid"; }
tm_name() { echo "taskmanager-$1"; }

# Every TaskManager pid file, whatever the count it was started with (also the single
# taskmanager.pid of clusters started before TaskManagers were numbered).
all_tm_pid_files() {
  compgen -G "$FLINK_RUN_DIR/taskmanager*.pid" || true
}

# The n of a taskmanager-<n>.pid file; nothing for the unnumbered taskmanager.pid.
tm_index_of() {
  local name
  name="$(basename "$1" .pid)"
  [[ "$name" =~ ^taskmanager-([0-9]+)$ ]] && echo "${BASH_REMATCH[1]}"
  return 0
}

# The number of TaskManagers asked for: the first argument, else FLINK_TASKMANAGERS, else 1.
taskmanager_count() {
  local count="${1:-${FLINK_TASKMANAGERS:-1}}"
  if [[ ! "$count" =~ ^[1-9][0-9]*$ ]] || ((count > 16)); then
    log "the number of TaskManagers must be an integer from 1 to 16 (got '$count')"
    return 1
  fi
  echo "$count"
}

# The count up.sh recorded for the running cluster (1 when it recorded none).
recorded_taskmanager_count() {
  local count
  count="$(cat "$TM_COUNT_FILE" 2>/dev/null || true)"
  [[ "$count" =~ ^[1-9][0-9]*$ ]] && echo "$count" || echo 1
}

# Flink's default config.yaml puts these in env.java.opts.all for Java 17: Flink's
# serializers (Kryo) and RPC reflect into JDK internals.
JAVA17_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# Memory for a 2-core 24 GB machine. Every component is given explicitly because, without
# Flink's shell scripts (BashJavaUtils), the TaskManager refuses to start unless its resources
# are set, and the -X flags below must match them.
#   JobManager 800m = heap 288m + off-heap 128m + metaspace 256m (a classloader per jar run)
#                     + overhead 128m
#   TaskManager 1280m = framework heap 128m + task heap 512m + framework off-heap 128m
#                       + task off-heap 0 + network 64m + managed 128m (hashmap state needs
#                       little) + metaspace 192m + overhead 128m
JM_MEMORY_OPTS=(
  -D jobmanager.memory.process.size=800m
  -D jobmanager.memory.heap.size=288m
  -D jobmanager.memory.off-heap.size=128m
  -D jobmanager.memory.jvm-metaspace.size=256m
  -D jobmanager.memory.jvm-overhead.min=128m
  -D jobmanager.memory.jvm-overhead.max=128m
)
JM_JVM_OPTS=(-Xms288m -Xmx288m -XX:MaxDirectMemorySize=128m -XX:MaxMetaspaceSize=256m)

TM_RESOURCE_OPTS=(
  -D taskmanager.cpu.cores=4.0
  -D taskmanager.memory.framework.heap.size=128m
  -D taskmanager.memory.task.heap.size=512m
  -D taskmanager.memory.framework.off-heap.size=128m
  -D taskmanager.memory.task.off-heap.size=0b
  -D taskmanager.memory.network.min=64m
  -D taskmanager.memory.network.max=64m
  -D taskmanager.memory.managed.size=128m
  -D taskmanager.memory.jvm-metaspace.size=192m
  -D taskmanager.memory.jvm-overhead.min=128m
  -D taskmanager.memory.jvm-overhead.max=128m
)
# Heap = framework + task heap; direct = framework + task off-heap + network.
# FLINK_TM_JIT_OPTS (default -XX:TieredStopAtLevel=1, C1 only): every job loads its jar's
# classes (our code, the shaded RabbitMQ client and Jackson) in a classloader of its own, so
# C2 compiles them again at every start, restart and move; measured in flink-filter-throughput,
# C2's compiler threads were the TaskManager's largest CPU user (~28 us per event over a
# 50,000-event run, on a 2-core machine whose broker needs that CPU). Set it empty for C2.
read -r -a TM_JIT_OPTS <<<"${FLINK_TM_JIT_OPTS--XX:TieredStopAtLevel=1}"
TM_JVM_OPTS=(-Xms640m -Xmx640m -XX:MaxDirectMemorySize=192m -XX:MaxMetaspaceSize=192m "${TM_JIT_OPTS[@]}")

log() { echo "[flink] $*" >&2; }

# Prints the pid in a pid file if that process is alive.
live_pid() {
  local pid_file="$1" pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(cat "$pid_file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # A killed process whose parent has not reaped it yet is a zombie: dead for our purposes.
  [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ]] || return 1
  echo "$pid"
}

# GET /overview, or nothing when the REST endpoint does not answer.
rest_overview() {
  curl -fsS --max-time 3 "$FLINK_REST_URL_LOCAL/overview" 2>/dev/null || true
}

registered_taskmanagers() {
  local body
  body="$(rest_overview)"
  [[ -n "$body" ]] || { echo 0; return; }
  jq -r '.taskmanagers // 0' <<<"$body"
}

# Runs a Flink entrypoint class in the background, detached from this shell's job control,
# with stdout/stderr in the log dir; writes its pid file.
start_flink_process() {
  local name="$1" pid_file="$2" main_class="$3"
  shift 3
  mkdir -p "$FLINK_LOG_DIR" "$FLINK_RUN_DIR" "$FLINK_HOME_DIR/plugins"
  FLINK_PLUGINS_DIR="$FLINK_HOME_DIR/plugins" nohup java "${JAVA17_OPENS[@]}" \
    -Dlog.file="$FLINK_LOG_DIR/$name.log" \
    -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j.properties" \
    "$@" \
    -cp "$FLINK_LIB_DIR/*" "$main_class" --configDir "$FLINK_CONF_DIR" \
    "${FLINK_PROCESS_ARGS[@]}" \
    >"$FLINK_LOG_DIR/$name.out" 2>&1 </dev/null &
  echo $! >"$pid_file"
  log "started $name (pid $!), log $FLINK_LOG_DIR/$name.log"
}

# FLINK_DYNAMIC_PROPERTIES ("key=value key=value"): cluster options on top of config.yaml,
# passed as -D to the JobManager (the chaos suite's cluster gives up restarting sooner).
start_jobmanager() {
  local extra=() kv
  for kv in ${FLINK_DYNAMIC_PROPERTIES:-}; do extra+=(-D "$kv"); done
  FLINK_PROCESS_ARGS=("${JM_MEMORY_OPTS[@]}" "${extra[@]}")
  start_flink_process jobmanager "$JM_PID_FILE" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "${JM_JVM_OPTS[@]}"
}

# Starts TaskManager n with a fresh resource id, so callers can wait for *this* TaskManager to
# register (after a kill -9 the JobManager still lists the dead one until its heartbeat times
# out). Its RPC and data ports are Flink's default: any free port.
start_taskmanager() {
  local index="$1" resource_id="$2"
  FLINK_PROCESS_ARGS=("${TM_RESOURCE_OPTS[@]}" -D "taskmanager.resource-id=$resource_id")
  start_flink_process "$(tm_name "$index")" "$(tm_pid_file "$index")" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner "${TM_JVM_OPTS[@]}"
}

new_taskmanager_id() {
  echo "tm-$(date +%s%N)-$$-$RANDOM"
}

# Waits (bounded) until TaskManager n, started with this resource id, is registered at the
# JobManager.
wait_for_taskmanager() {
  local index="$1" resource_id="$2" timeout_s="${3:-120}" deadline ids
  deadline=$((SECONDS + timeout_s))
  while ((SECONDS < deadline)); do
    ids="$(curl -fsS --max-time 3 "$FLINK_REST_URL_LOCAL/taskmanagers" 2>/dev/null | jq -r '.taskmanagers[].id' 2>/dev/null || true)"
    if grep -qxF "$resource_id" <<<"$ids"; then
      return 0
    fi
    if ! live_pid "$JM_PID_FILE" >/dev/null; then
      log "JobManager died; see $FLINK_LOG_DIR/jobmanager.log and jobmanager.out"
      return 1
    fi
    if ! live_pid "$(tm_pid_file "$index")" >/dev/null; then
      log "TaskManager $index died; see $FLINK_LOG_DIR/$(tm_name "$index").log and .out"
      return 1
    fi
    sleep 1
  done
  log "TaskManager $resource_id did not register within ${timeout_s}s; see $FLINK_LOG_DIR"
  return 1
}

# Starts every TaskManager 1..count that is not running and waits until each has registered.
start_missing_taskmanagers() {
  local count="$1" timeout_s="$2" started_at=$SECONDS index
  local -a indexes=() ids=()
  for ((index = 1; index <= count; index++)); do
    live_pid "$(tm_pid_file "$index")" >/dev/null && continue
    ids+=("$(new_taskmanager_id)")
    indexes+=("$index")
    start_taskmanager "$index" "${ids[-1]}"
  done
  for index in "${!indexes[@]}"; do
    wait_for_taskmanager "${indexes[$index]}" "${ids[$index]}" \
      $((timeout_s - (SECONDS - started_at))) || return 1
  done
}

# Sends SIGTERM, waits up to 20 s, then SIGKILL; removes the pid file.
stop_process() {
  local name="$1" pid_file="$2" pid
  if pid="$(live_pid "$pid_file")"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) ignored SIGTERM; killing"
      kill -9 "$pid" 2>/dev/null || true
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$pid_file"
}
