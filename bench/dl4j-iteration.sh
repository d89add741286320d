#!/usr/bin/env bash
# Where one DL4J iteration's time goes (784-256-10, batch 32, one OpenMP thread) under the JVM
# settings that could lower it; one JVM per row (JavaCPP's limits are fixed per JVM). Columns: ms per
# fit iteration with Adam, images/s, with SGD (Adam's updater share is the difference), the five
# matrix multiplies of an iteration alone, and score computation alone. The classpath holds ND4J's
# generic and AVX2 builds (pom.xml); JavaCPP loads the AVX2 one unless the extension is set empty.
#
#   bench/dl4j-iteration.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$ROOT" && mvn -B -q test-compile) >&2
CP="$ROOT/target/classes:$ROOT/target/test-classes:$(cat "$ROOT/target/classpath-compile.txt")"
LIMITS="-Dorg.bytedeco.javacpp.maxbytes=6G"
run() { # label, JVM options...
  local label="$1"; shift
  OMP_NUM_THREADS=1 java -Xmx2g "$@" -Dlog4j2.configurationFile="file:$ROOT/conf/log4j2.properties" -cp "$CP" \
    io.foldwise.bench.Dl4jIteration "$label" 2>/dev/null | grep '^ROW|' | cut -d'|' -f2-
}
{
  echo "JVM setting|Adam ms/iter|images/s|SGD ms/iter|matmuls ms|score ms"
  run "submit.sh's: maxbytes 6G, maxphysicalbytes 12G, ND4J AVX2 build" $LIMITS -Dorg.bytedeco.javacpp.maxphysicalbytes=12G
  run "the same, ND4J generic build (platform.extension empty)" $LIMITS -Dorg.bytedeco.javacpp.maxphysicalbytes=12G \
    -Dorg.bytedeco.javacpp.platform.extension=
  run "maxphysicalbytes=0 (no physical-memory check)" $LIMITS -Dorg.bytedeco.javacpp.maxphysicalbytes=0
  run "maxphysicalbytes=0, ND4J periodic GC off" $LIMITS -Dorg.bytedeco.javacpp.maxphysicalbytes=0 \
    -Dfoldwise.bench.noPeriodicGc=true
  run "JavaCPP defaults (no limits)"
} | column -t -s'|'
