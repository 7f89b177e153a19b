#!/usr/bin/env bash
# Bounded soak (loopback only): mixed traffic, database changes with NATS events, and faults
# injected in front of PostgreSQL, Redis, NATS and the JWKS; counts wrong decisions against the
# database. Needs the local PostgreSQL, Redis and NATS (scripts/services.sh).
# Usage: scripts/soak.sh [minutes=2] [threads=4]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test-compile -Dspotless.check.skip=true
mvn -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/soak.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/soak.classpath)" \
  dev.betterauthz.hardening.Soak "${1:-2}" "${2:-4}"
