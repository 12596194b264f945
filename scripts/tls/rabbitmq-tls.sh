#!/usr/bin/env bash
# A RabbitMQ node of its own with a TLS listener that verifies client certificates, for the
# TLS integration test (test/integration/broker-tls.int-spec.ts). Never the machine's node.
#   rabbitmq-tls.sh start   generates a CA, a server and a client certificate (openssl) under
#                           $TLS_RABBITMQ_DIR/certs, starts the node and waits for it
#   rabbitmq-tls.sh stop    stops the node and removes its state
# Node ruleshift-tls@localhost, TLS on 127.0.0.1:5676, plain AMQP on 127.0.0.1:5675 (unused by
# the test, RabbitMQ wants one), distribution port 25675; all overridable (TLS_RABBITMQ_*).
set -euo pipefail

TLS_RABBITMQ_NODE="${TLS_RABBITMQ_NODE:-ruleshift-tls@localhost}"
TLS_RABBITMQ_PORT="${TLS_RABBITMQ_PORT:-5675}"
TLS_RABBITMQ_TLS_PORT="${TLS_RABBITMQ_TLS_PORT:-5676}"
TLS_RABBITMQ_DIST_PORT="${TLS_RABBITMQ_DIST_PORT:-25675}"
TLS_RABBITMQ_DIR="${TLS_RABBITMQ_DIR:-${TMPDIR:-/tmp}/ruleshift-tls}"
CERTS="$TLS_RABBITMQ_DIR/certs"

log() { echo "[tls] $*" >&2; }
port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

certificates() {
  mkdir -p "$CERTS"
  cd "$CERTS"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ruleshift test CA" \
    -keyout ca.key -out ca.pem 2>/dev/null
  for who in server client; do
    openssl req -newkey rsa:2048 -nodes -subj "/CN=ruleshift-$who" \
      -keyout "$who.key" -out "$who.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=%s\n' \
      "$([[ $who == server ]] && echo serverAuth || echo clientAuth)" >"$who.ext"
    openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
      -extfile "$who.ext" -out "$who.pem" 2>/dev/null
  done
  # A client certificate from a CA the broker does not trust.
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ruleshift-stranger" \
    -keyout stranger.key -out stranger.pem 2>/dev/null
  chmod 0644 ./*.pem ./*.key
  cd - >/dev/null
}

start() {
  if port_answers "$TLS_RABBITMQ_TLS_PORT"; then
    log "port $TLS_RABBITMQ_TLS_PORT already answers"
    return 1
  fi
  rm -rf "$TLS_RABBITMQ_DIR"
  mkdir -p "$TLS_RABBITMQ_DIR/mnesia" "$TLS_RABBITMQ_DIR/log"
  certificates
  cat >"$TLS_RABBITMQ_DIR/rabbitmq.conf" <<CONF
listeners.tcp.local = 127.0.0.1:$TLS_RABBITMQ_PORT
listeners.ssl.default = 127.0.0.1:$TLS_RABBITMQ_TLS_PORT
ssl_options.cacertfile = $CERTS/ca.pem
ssl_options.certfile = $CERTS/server.pem
ssl_options.keyfile = $CERTS/server.key
ssl_options.verify = verify_peer
ssl_options.fail_if_no_peer_cert = true
loopback_users.guest = true
CONF
  echo '[].' >"$TLS_RABBITMQ_DIR/enabled_plugins"
  if id rabbitmq >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    chown -R rabbitmq:rabbitmq "$TLS_RABBITMQ_DIR"
  fi
  export RABBITMQ_NODENAME="$TLS_RABBITMQ_NODE"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$TLS_RABBITMQ_PORT"
  export RABBITMQ_DIST_PORT="$TLS_RABBITMQ_DIST_PORT"
  export RABBITMQ_CONFIG_FILE="$TLS_RABBITMQ_DIR/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$TLS_RABBITMQ_DIR/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$TLS_RABBITMQ_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$TLS_RABBITMQ_DIR/log"
  export RABBITMQ_PID_FILE="$TLS_RABBITMQ_DIR/rabbitmq.pid"
  (cd / && rabbitmq-server -detached)
  for _ in $(seq 1 90); do
    port_answers "$TLS_RABBITMQ_TLS_PORT" && break
    sleep 1
  done
  timeout 90 rabbitmqctl -n "$TLS_RABBITMQ_NODE" await_startup >/dev/null
  log "RabbitMQ $TLS_RABBITMQ_NODE up, TLS on 127.0.0.1:$TLS_RABBITMQ_TLS_PORT, certificates in $CERTS"
}

stop() {
  if rabbitmqctl -n "$TLS_RABBITMQ_NODE" status >/dev/null 2>&1; then
    timeout 90 rabbitmqctl -n "$TLS_RABBITMQ_NODE" stop >/dev/null
    log "RabbitMQ $TLS_RABBITMQ_NODE stopped"
  fi
  rm -rf "$TLS_RABBITMQ_DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
