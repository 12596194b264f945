#!/usr/bin/env bash
# Makes sure the services the integration tests need answer on loopback, starting them
# when they do not (they are installed from Debian's packages on these machines).
set -euo pipefail

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local name=$1 port=$2 seconds=$3
  for _ in $(seq 1 "$seconds"); do
    if answers "$port"; then echo "$name answers on 127.0.0.1:$port"; return 0; fi
    sleep 1
  done
  echo "$name does not answer on 127.0.0.1:$port after ${seconds}s" >&2
  return 1
}

if ! answers 5672; then
  echo "starting RabbitMQ"
  rabbitmq-server -detached || true
fi
wait_for RabbitMQ 5672 90
# The broker accepts TCP before it finishes booting; rabbitmqctl await_startup waits for the app.
timeout 90 rabbitmqctl await_startup >/dev/null
# Rules with parallelism > 1 read their input through a consistent-hash exchange. Enabling a
# plugin on a running node needs no restart, and enabling it again is a no-op.
rabbitmq-plugins enable --quiet rabbitmq_consistent_hash_exchange >/dev/null
echo "RabbitMQ plugin rabbitmq_consistent_hash_exchange enabled"

if ! answers 5432; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
fi
wait_for PostgreSQL 5432 60

for vhost in edge core; do
  rabbitmqctl add_vhost "$vhost" >/dev/null 2>&1 || true
  rabbitmqctl set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
done
echo "vhosts edge and core ready"
