#!/usr/bin/env bash
# The README's test command: starts whatever local service is down, then runs every test
# (unit tests, integration tests against real PostgreSQL/Redis/NATS, nginx end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
exec mvn -B verify "$@"
