#!/usr/bin/env bash
# The demo: better-authz behind a real nginx (auth_request) in front of a sample upstream, with
# local PostgreSQL, Redis and NATS, and a tour of allow and deny decisions for a few users.
#
#   bash scripts/demo.sh          tour, then keep the stack running (Ctrl-C stops everything)
#   bash scripts/demo.sh --once   tour, then stop everything (exit 0 only if every answer was right)
#
# Ports: gateway 8080, better-authz 8181 (HTTP) / 9191 (gRPC), upstream 8081; a busy one is
# replaced by a free one. Override with DEMO_GATEWAY_PORT, DEMO_HTTP_PORT, DEMO_GRPC_PORT,
# DEMO_UPSTREAM_PORT. It drops and recreates the database better_authz_demo on 127.0.0.1:5432.
# docs/gateways.md ("The local demo") walks through what it shows.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAR=target/better-authz.jar
DB=better_authz_demo
ISSUER=http://better-auth.demo
ONCE=false
FAILURES=0

case "${1:-}" in
  --once) ONCE=true ;;
  "") ;;
  -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "demo.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
esac

say() { printf '%s\n' "$*"; }
if [ -t 1 ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD="" PLAIN=""; fi
step() { printf '\n%s== %s%s\n' "$BOLD" "$*" "$PLAIN"; }
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- cleanup
PIDS=()
WORK=$(mktemp -d /tmp/better-authz-demo.XXXXXX)
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$code" -ne 0 ] && [ "$code" -ne 130 ]; then
    say "demo.sh: failed (exit $code); logs kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- services, tools, jar
step "Services: PostgreSQL, Redis, NATS, nginx"
bash scripts/services.sh
for tool in curl psql; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    say "installing $tool"
    pkg=$tool; [ "$tool" = psql ] && pkg=postgresql-client
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
say "PostgreSQL, Redis and NATS answer on 127.0.0.1; nginx is $NGINX"

if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main -newer "$JAR" -print -quit)" ]; then
  step "Building $JAR (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package
fi

# ---------------------------------------------------------------- ports
pick_port() {
  local wanted=$1 port
  if ! answers "$wanted"; then echo "$wanted"; return; fi
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! answers "$port"; then echo "$port"; return; fi
  done
  echo "demo.sh: no free port found" >&2
  return 1
}
GATEWAY_PORT=$(pick_port "${DEMO_GATEWAY_PORT:-8080}")
HTTP_PORT=$(pick_port "${DEMO_HTTP_PORT:-8181}")
GRPC_PORT=$(pick_port "${DEMO_GRPC_PORT:-9191}")
UPSTREAM_PORT=$(pick_port "${DEMO_UPSTREAM_PORT:-8081}")
GATEWAY=http://127.0.0.1:$GATEWAY_PORT

# ---------------------------------------------------------------- database, keys, tokens
step "Database $DB: Better Auth's schema, the ADR indexes, demo users, a signing key"
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGOPTIONS="-c client_min_messages=warning"
pg() { psql -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null; }
pg -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
pg -d "$DB" -f deploy/compose/initdb/01-better-auth-schema.sql
pg -d "$DB" -f deploy/compose/initdb/02-authz-indexes.sql
pg -d "$DB" -f demo/seed.sql

USERS=(u-alice u-bob u-carol u-dave u-erin u-root)
TOKENS=$WORK/tokens
java -cp "$JAR" dev.betterauthz.demo.DemoIssuer --out "$TOKENS" --issuer "$ISSUER" "${USERS[@]}"
# Better Auth's jwt plugin stores its keys in the jwks table; better-authz reads the public half.
pg -d "$DB" -v kid="$(cat "$TOKENS/kid")" -v pub="$(cat "$TOKENS/public-key.json")" \
  <<'SQL'
INSERT INTO public.jwks (id, public_key, private_key, created_at, alg, crv)
VALUES (:'kid', :'pub', 'not kept: the demo issuer discarded it', now(), 'EdDSA', 'Ed25519');
SQL
say "users: alice (owner), bob (staff), carol (viewer), dave (staff, banned), erin (no member), root (platform admin)"

# A previous run may have left these users' roles in Redis (perm:<userId>:<orgId>, 5 min TTL).
redis_cmd() {
  exec 5<>/dev/tcp/127.0.0.1/6379
  printf '%s\r\n' "$*" >&5
  head -n 1 <&5 >/dev/null
  exec 5<&-
}
keys=(); for u in "${USERS[@]}"; do keys+=("perm:$u:org-acme" "perm:$u:-"); done
redis_cmd DEL "${keys[@]}"

# ---------------------------------------------------------------- processes
step "Starting better-authz, the sample upstream and nginx"
LOGS=$WORK/logs
mkdir -p "$LOGS"
# AUTHZ_JWKS_REFRESH=10s: a key read that failed at start (a busy machine) is retried within
# seconds rather than the default 5 minutes, during which the server would stay not ready.
env AUTHZ_GRPC_PORT="$GRPC_PORT" AUTHZ_HTTP_PORT="$HTTP_PORT" AUTHZ_BIND_ADDRESS=127.0.0.1 \
  AUTHZ_POLICY_FILE="$ROOT/deploy/compose/policy.yaml" \
  AUTHZ_JWKS_URL=db AUTHZ_JWT_ISSUER="$ISSUER" AUTHZ_JWT_AUDIENCE="$ISSUER" \
  AUTHZ_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" \
  AUTHZ_REDIS_URL=redis://127.0.0.1:6379 AUTHZ_NATS_URL=nats://127.0.0.1:4222 \
  AUTHZ_LOG_FORMAT=text AUTHZ_JWKS_TIMEOUT=5s AUTHZ_JWKS_REFRESH=10s \
  java -jar "$JAR" >"$LOGS/better-authz.log" 2>&1 &
PIDS+=($!)
AUTHZ_PID=$!
java -cp "$JAR" dev.betterauthz.demo.SampleUpstream "$UPSTREAM_PORT" 127.0.0.1 \
  >"$LOGS/upstream.log" 2>&1 &
PIDS+=($!)

NGX=$WORK/nginx
mkdir -p "$NGX"
sed -e "s/better-authz:8181/127.0.0.1:$HTTP_PORT/" -e "s/sample-upstream:8081/127.0.0.1:$UPSTREAM_PORT/" \
  -e "s/listen 8080;/listen 127.0.0.1:$GATEWAY_PORT;/" deploy/nginx/better-authz.conf >"$NGX/better-authz.conf"
{
  # As root, nginx workers would otherwise run as nobody and could not enter the 0700 temp dir.
  [ "$(id -u)" = 0 ] && echo "user root;"
  echo "worker_processes 1;"
  echo "events { worker_connections 128; }"
  echo "http {"
  echo "  access_log $NGX/access.log;"
  for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $NGX/$t;"; done
  echo "  include $NGX/better-authz.conf;"
  echo "}"
} >"$NGX/nginx.conf"
"$NGINX" -p "$NGX" -e "$NGX/error.log" -c nginx.conf -g "daemon off; pid $NGX/nginx.pid;" \
  >"$LOGS/nginx.log" 2>&1 &
PIDS+=($!)

for _ in $(seq 1 240); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/readyz" 2>/dev/null \
    && answers "$UPSTREAM_PORT" && answers "$GATEWAY_PORT"; then
    break
  fi
  if ! kill -0 "$AUTHZ_PID" 2>/dev/null; then
    say "better-authz exited; its log:" >&2
    cat "$LOGS/better-authz.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/readyz" || {
  say "better-authz is not ready after 120 s; see $LOGS/better-authz.log" >&2
  exit 1
}
say "gateway (nginx)  $GATEWAY"
say "better-authz     http://127.0.0.1:$HTTP_PORT (/check, /readyz, /metrics), gRPC 127.0.0.1:$GRPC_PORT"
say "sample upstream  http://127.0.0.1:$UPSTREAM_PORT (echoes the identity headers it receives)"

# ---------------------------------------------------------------- the tour
source "$ROOT/demo/tour.sh"
run_tour

if [ "$FAILURES" -ne 0 ]; then
  say ""; say "demo.sh: $FAILURES answer(s) differed from what the demo expects; logs in $LOGS" >&2
  exit 1
fi

step "Try it yourself"
print_curl_lines
if $ONCE; then
  say ""; say "--once: stopping everything."
  exit 0
fi
say ""; say "The stack keeps running. Press Ctrl-C to stop nginx, better-authz and the upstream."
say "Logs: $LOGS"
wait "$AUTHZ_PID" || true
say "better-authz exited; see $LOGS/better-authz.log" >&2
exit 1
