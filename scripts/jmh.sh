#!/usr/bin/env bash
# Runs the JMH micro-benchmarks (src/test/java/dev/betterauthz/jmh), which `mvn verify` never runs.
#   bash scripts/jmh.sh                       all benchmarks, JMH defaults of each class
#   bash scripts/jmh.sh Decision -prof gc     JMH arguments (a regexp of benchmarks, options)
#   bash scripts/jmh.sh footprint [users] [orgs]   heap per in-process cache entry (no JMH)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o test-compile
cp_file=target/jmh-classpath.txt
if [ ! -f "$cp_file" ] || [ pom.xml -nt "$cp_file" ]; then
  mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
fi
cp="target/test-classes:target/classes:$(cat "$cp_file")"
if [ "${1:-}" = footprint ]; then
  shift
  exec java -Xmx512m -cp "$cp" dev.betterauthz.jmh.CacheFootprint "$@"
fi
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
