#!/usr/bin/env bash
# Lays out a SPARK_HOME from Spark's own Maven jars, as DESIGN gotcha 9 found sufficient:
#   jars/      Spark's dependency closure (pom.xml beside this script, versions from the project's
#              pom), apart from Foldwise's dependencies: the application jar must bring DL4J itself
#   RELEASE    without it Spark's launcher looks for build directories
#   conf/      a quiet log4j2.properties
#   bin/spark-submit  like the real one, Spark's launcher library builds the driver's command
# Used by StandaloneClusterIT and bench/standalone-cluster.sh.
#
#   src/test/spark-home/make-spark-home.sh DIR      (MVN=path/to/mvn to choose Maven)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
DIR="$1"
pom_value() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n 1; }

mkdir -p "$DIR/jars" "$DIR/bin" "$DIR/conf"
"${MVN:-mvn}" -B -q -f "$HERE/pom.xml" dependency:build-classpath -Dmdep.outputFile="$DIR/classpath.txt" \
  -Dspark.version="$(pom_value spark.version)" -Dscala.version="$(pom_value scala.version)" \
  -Dscala.binary.version="$(pom_value scala.binary.version)" -Dslf4j.version="$(pom_value slf4j.version)"
tr ':' '\n' < "$DIR/classpath.txt" | while read -r jar; do ln -sf "$jar" "$DIR/jars/"; done

cat > "$DIR/conf/log4j2.properties" <<'LOG'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
LOG

cat > "$DIR/bin/spark-submit" <<'SUBMIT'
#!/usr/bin/env bash
# Stand-in for Spark's bin/spark-submit (and bin/spark-class): Spark's launcher library prints the
# driver's command (driver memory, --driver-java-options, Java 17 --add-opens, classpath)
# NUL-separated, after any messages and a NUL-newline marker.
set -euo pipefail
export SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
export SPARK_SCALA_VERSION=2.12
mapfile -d '' CMD < <(java -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main \
  org.apache.spark.deploy.SparkSubmit "$@"; printf '%d\0' $?)
rc="${CMD[-1]}"; unset 'CMD[-1]'
[ -n "${CMD[0]:-}" ] && printf '%s\n' "${CMD[0]}" >&2
[ "$rc" = 0 ] || exit "$rc"
CMD=("${CMD[@]:1}"); CMD[0]="${CMD[0]#$'\n'}"
exec "${CMD[@]}"
SUBMIT
chmod +x "$DIR/bin/spark-submit"
echo "Spark $(pom_value spark.version) from Maven jars (make-spark-home.sh)" > "$DIR/RELEASE"
