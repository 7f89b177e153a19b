#!/usr/bin/env bash
# Starts PostgreSQL, Redis and NATS (JetStream) on loopback when they do not answer, and installs
# nginx (used by the gateway end-to-end test) when it is missing. Idempotent.
set -euo pipefail

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local name=$1 port=$2
  for _ in $(seq 1 60); do
    if answers "$port"; then return 0; fi
    sleep 0.5
  done
  echo "services.sh: $name did not come up on 127.0.0.1:$port" >&2
  return 1
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  as_root apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! answers 5432; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then apt_install postgresql; fi
  echo "services.sh: starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  wait_for PostgreSQL 5432
fi

if ! answers 6379; then
  if ! command -v redis-server >/dev/null 2>&1; then apt_install redis-server; fi
  echo "services.sh: starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis 6379
fi

if ! answers 4222; then
  if [ ! -x /usr/sbin/nats-server ]; then apt_install nats-server; fi
  echo "services.sh: starting NATS"
  as_root mkdir -p /var/lib/nats-server
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_for NATS 4222
fi

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "services.sh: installing nginx (gateway end-to-end test)"
  apt_install nginx
fi
