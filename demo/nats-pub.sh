#!/usr/bin/env bash
# Publishes one NATS message with nothing but bash (the NATS text protocol over /dev/tcp), as
# Better Auth's service would after a change:
#   bash demo/nats-pub.sh member.role.changed '{"userId":"u-bob","organizationId":"org-acme"}'
# NATS_PORT (default 4222) on 127.0.0.1. Exits non-zero unless the server acknowledged it.
set -euo pipefail
subject=$1 payload=$2
exec 6<>"/dev/tcp/127.0.0.1/${NATS_PORT:-4222}"
read -r -t 5 reply <&6 # the server's INFO line
printf 'CONNECT {"verbose":false,"pedantic":false,"name":"better-authz-demo"}\r\nPUB %s %d\r\n%s\r\nPING\r\n' \
  "$subject" "${#payload}" "$payload" >&6
read -r -t 5 reply <&6 # PONG once everything before it was processed, else -ERR
exec 6<&-
[[ $reply == PONG* ]] || { echo "nats-pub.sh: NATS answered: $reply" >&2; exit 1; }
