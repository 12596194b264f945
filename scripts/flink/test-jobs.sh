#!/usr/bin/env bash
# Runs the Flink template jobs' own tests, among them VectorsTest: every shared test vector in
# templates/*/vectors/ through the jobs' pipelines on a Flink MiniCluster (the edge engine runs
# the same vectors in `npm test`). Offline first, online as fallback.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../templates/flink"
mvn -B -ntp -Dstyle.color=never -o test || mvn -B -ntp -Dstyle.color=never test
