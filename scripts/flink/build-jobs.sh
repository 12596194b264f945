#!/usr/bin/env bash
# Builds templates/flink (the template jobs' jar) only when its sources changed since the last
# successful build, so CI and tests can call it every time. Offline first, online as fallback.
# Prints the jar path on stdout; progress goes to stderr.
#   FLINK_JOBS_FORCE_BUILD=1 rebuilds regardless of the stamp.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PROJECT_DIR="$REPO_ROOT/templates/flink"
JAR="$PROJECT_DIR/target/ruleshift-flink-jobs.jar"
STAMP_DIR="$REPO_ROOT/.cache"
STAMP="$STAMP_DIR/flink-jobs.sha256"

log() { echo "[build-jobs] $*" >&2; }

command -v mvn >/dev/null || { log "missing required tool: mvn"; exit 1; }

# Hash of pom.xml and every file under src/, names included, in a stable order.
sources_hash() {
  (
    cd "$PROJECT_DIR"
    { echo pom.xml; find src -type f | LC_ALL=C sort; } | while IFS= read -r file; do
      printf '%s\0' "$file"
      sha256sum "$file" | cut -d' ' -f1
    done
  ) | sha256sum | cut -d' ' -f1
}

want="$(sources_hash)"
if [[ "${FLINK_JOBS_FORCE_BUILD:-0}" != 1 && -f "$JAR" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
  log "up to date"
  echo "$JAR"
  exit 0
fi

log "building $PROJECT_DIR"
cd "$PROJECT_DIR"
mvn -B -ntp -q -Dstyle.color=never -o package -DskipTests >&2 ||
  mvn -B -ntp -q -Dstyle.color=never package -DskipTests >&2
[[ -f "$JAR" ]] || { log "build finished but $JAR is missing"; exit 1; }
mkdir -p "$STAMP_DIR"
echo "$want" >"$STAMP"
log "built"
echo "$JAR"
