#!/usr/bin/env bash
# Reproduces the table of BENCHMARKS.md with one command: starts the local services that are down
# (PostgreSQL, Redis, NATS), builds the jar when it is missing or older than the sources, runs every
# scenario and rewrites the table between the markers of BENCHMARKS.md.
# Extra arguments go to `bench` (e.g. --duration 30s, --rate 1000, --scenario warm,redis).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
jar=target/better-authz.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -B -q -DskipTests package
fi
exec java -jar "$jar" bench --scenario all --out BENCHMARKS.md "$@"
