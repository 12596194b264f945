#!/usr/bin/env bash
# The chaos suite's own RabbitMQ node (CHAOS_RABBITMQ_NODE on 127.0.0.1:CHAOS_RABBITMQ_PORT),
# driven with the machine's own commands (rabbitmq-server -detached, rabbitmqctl -n <node>).
#   rabbitmq.sh start     starts the node (fresh data dir on first start) and waits for it
#   rabbitmq.sh stop      stops the node process (rabbitmqctl stop)
#   rabbitmq.sh restart   stop, then start: the broker process really goes away
#   rabbitmq.sh close-connections-of <pid>   closes (rabbitmqctl close_connection) every
#                         connection that OS process <pid> holds to the node; prints how many
#   rabbitmq.sh consumers-of <vhost> <queue>   OS pids of the processes consuming <queue>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

start() {
  if port_answers "$CHAOS_RABBITMQ_PORT"; then
    chaos_rabbitmqctl await_startup >/dev/null 2>&1 && return 0
    chaos_log "port $CHAOS_RABBITMQ_PORT answers but not as $CHAOS_RABBITMQ_NODE"
    return 1
  fi
  mkdir -p "$CHAOS_RABBITMQ_DIR/mnesia" "$CHAOS_RABBITMQ_DIR/log"
  cat >"$CHAOS_RABBITMQ_DIR/rabbitmq.conf" <<CONF
listeners.tcp.local = 127.0.0.1:$CHAOS_RABBITMQ_PORT
loopback_users.guest = true
CONF
  # Partitioned inputs (parallelism > 1) need the consistent-hash exchange, as on the machine's node.
  echo '[rabbitmq_consistent_hash_exchange].' >"$CHAOS_RABBITMQ_DIR/enabled_plugins"
  if id rabbitmq >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    chown -R rabbitmq:rabbitmq "$CHAOS_RABBITMQ_DIR"
  fi
  rabbitmq_env
  # From the rabbitmq user's home (where the machine's wrapper runs it), detached.
  (cd / && rabbitmq-server -detached)
  for _ in $(seq 1 90); do
    port_answers "$CHAOS_RABBITMQ_PORT" && break
    sleep 1
  done
  timeout 90 rabbitmqctl -n "$CHAOS_RABBITMQ_NODE" await_startup >/dev/null
  chaos_log "RabbitMQ $CHAOS_RABBITMQ_NODE up on 127.0.0.1:$CHAOS_RABBITMQ_PORT"
}

stop() {
  if chaos_rabbitmqctl status >/dev/null 2>&1; then
    timeout 90 rabbitmqctl -n "$CHAOS_RABBITMQ_NODE" stop >/dev/null
    chaos_log "RabbitMQ $CHAOS_RABBITMQ_NODE stopped"
  fi
}

# Closes, from the broker side, every connection the OS process <pid> holds to the node: its
# client ports (ss) are matched against the broker's view (rabbitmqctl list_connections).
close_connections_of() {
  local os_pid="$1" ports conn port closed=0
  ports="$(ss -Htnp state established "( dport = :$CHAOS_RABBITMQ_PORT )" 2>/dev/null |
    grep -F "pid=$os_pid," | awk '{print $3}' | sed -E 's/.*:([0-9]+)$/\1/' | sort -u)"
  while read -r conn port; do
    [[ -n "$conn" ]] || continue
    if grep -qxF "$port" <<<"$ports"; then
      chaos_rabbitmqctl close_connection "$conn" "chaos: closed by the broker" >/dev/null
      closed=$((closed + 1))
    fi
  done < <(chaos_rabbitmqctl list_connections -q --no-table-headers pid peer_port 2>/dev/null)
  chaos_log "closed $closed connection(s) of process $os_pid"
  echo "$closed"
}

# Prints the OS pids of the local processes consuming <queue> on <vhost>: consumer -> channel
# -> connection -> client port (rabbitmqctl), client port -> process (ss).
consumer_os_pids() {
  local vhost="$1" queue="$2" channels connections ports
  channels="$(chaos_rabbitmqctl list_consumers -p "$vhost" -q --no-table-headers queue_name channel_pid |
    awk -v q="$queue" '$1 == q { print $2 }')"
  [[ -n "$channels" ]] || return 0
  connections="$(chaos_rabbitmqctl list_channels -q --no-table-headers pid connection |
    awk 'NR == FNR { want[$1] = 1; next } ($1 in want) { print $2 }' <(echo "$channels") -)"
  ports="$(chaos_rabbitmqctl list_connections -q --no-table-headers pid peer_port |
    awk 'NR == FNR { want[$1] = 1; next } ($1 in want) { print $2 }' <(echo "$connections") -)"
  ss -Htnp state established "( dport = :$CHAOS_RABBITMQ_PORT )" 2>/dev/null |
    awk 'NR == FNR { want[$1] = 1; next } { n = split($3, a, ":"); if (a[n] in want) print $0 }' \
      <(echo "$ports") - |
    grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart)
    stop
    start
    ;;
  close-connections-of) close_connections_of "${2:?os pid}" ;;
  consumers-of) consumer_os_pids "${2:?vhost}" "${3:?queue}" ;;
  *)
    echo "usage: $0 start|stop|restart|close-connections-of <pid>|consumers-of <vhost> <queue>" >&2
    exit 2
    ;;
esac
