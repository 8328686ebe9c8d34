# Shared by the scripts in scripts/: finds JDK 25 and knows the JVM flags the project needs.
# shellcheck shell=bash

ATTNBENCH_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# JAVA_HOME if it is a JDK 25, else the first /usr/lib/jvm/*25*; prints nothing and fails if there is none.
find_jdk25() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    if "$candidate/bin/java" -version 2>&1 | head -n 1 | grep -Eq 'version "25([."]|-)'; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

require_jdk25() {
  JAVA_HOME="$(find_jdk25)" || {
    echo "attnbench: JDK 25 not found: set JAVA_HOME to a JDK 25 or install one under /usr/lib/jvm (e.g. Temurin 25)" >&2
    exit 2
  }
  export JAVA_HOME
  # Maven itself prints warnings about sun.misc.Unsafe on JDK 25 unless told it may use it.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

# libnd4j's OpenMP threads spin after each parallel region by default and starve the JVM's own threads (the Java
# softmax kernel, BLAS): dense attention at n = 256 measured 18-19 ms per call spinning and 6-7 ms passive, with no
# change at n = 4096. It must be set before the library loads, so here, for every JVM the scripts start.
export OMP_WAIT_POLICY=PASSIVE

# Flags every JVM of the project needs on JDK 25 (the same set as attnbench.jvmFlags in pom.xml):
# ND4J/JavaCPP use native access and sun.misc.Unsafe; the fused CPU kernels use the incubating Vector API.
JVM_FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow --add-modules=jdk.incubator.vector)
