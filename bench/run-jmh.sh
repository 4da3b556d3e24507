#!/usr/bin/env sh
# Runs a JMH benchmark of the test class path, e.g.
#   bench/run-jmh.sh HandshakeBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
#   bench/run-jmh.sh CryptoPrimitivesBenchmark -f 1 -wi 1 -i 2 -w 1s -r 1s
# Arguments go to org.openjdk.jmh.Main unchanged (-h lists them). Uses the dependencies in ~/.m2 (offline).
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -o -q test-compile
./mvnw -B -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" org.openjdk.jmh.Main "$@"
