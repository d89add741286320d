#!/usr/bin/env bash
# The augmentation benchmark (io.foldwise.bench.AugmentBench, with the tests in src/test/java) on the
# test classpath, from the project root. Compiles first when the classes are missing or older than
# the sources. Prints the Markdown table of BENCHMARKS.md's "Augmentation" section.
#
#   bench/augment.sh [seconds per measurement, default 3] [training folder, default data/mnist-sample/train]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BENCH=target/test-classes/io/foldwise/bench/AugmentBench.class
if [ ! -f "$BENCH" ] || [ ! -f target/classpath-compile.txt ] \
   || [ -n "$(find src pom.xml -newer "$BENCH" -print -quit 2>/dev/null)" ]; then
  echo "bench/augment.sh: compiling" >&2
  mvn -B -q test-compile >&2
fi

# Spark on Java 17 needs these (DESIGN gotcha 2); spark-submit would add them itself.
OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
exec java "${OPENS[@]}" -Dlog4j2.configurationFile="file:$ROOT/conf/log4j2.properties" \
  -cp "target/classes:target/test-classes:$(cat target/classpath-compile.txt)" io.foldwise.bench.AugmentBench "$@"
