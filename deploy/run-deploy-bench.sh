#!/usr/bin/env bash
# Start the two-replica layout behind nginx, check that both replicas serve viewers, run the
# concurrent-users benchmark (benchmark 5) against the proxy, stop everything, and write the
# measurement into docs/deploy.md. Loopback only; about 5 minutes.
#
#   bash deploy/run-deploy-bench.sh            # levels 1,10,25,50, 20 s each
#   LEVELS=1,5 DURATION=10 bash deploy/run-deploy-bench.sh   # a quick check
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEPLOY_STATE="${DEPLOY_STATE:-$(mktemp -d /tmp/indicators-deploy.XXXXXX)}"
LEVELS="${LEVELS:-1,10,25,50}"
DURATION="${DURATION:-20}"
PY="$ROOT/.venv/bin/python"
cd "$ROOT"

cleanup() {
    "$ROOT/deploy/replicas.sh" stop || true
    if [ "${KEEP_STATE:-0}" != 1 ]; then rm -rf "$DEPLOY_STATE"; fi  # KEEP_STATE=1 keeps logs
}
trap cleanup EXIT

started=$(date +%s)
"$ROOT/deploy/replicas.sh" start
# shellcheck disable=SC1091
source "$DEPLOY_STATE/env"
VIEWER_PIDS=$("$ROOT/deploy/replicas.sh" pids viewer | paste -sd, -)
WRITER_PID=$("$ROOT/deploy/replicas.sh" pids writer)

# Both replicas answer through the proxy: twenty first visits with no cookie (each gets a new
# random route), then count which upstream served them.
for _ in $(seq 1 20); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PROXY_PORT/"
done
# The same cookie always lands on the same replica.
for _ in $(seq 1 5); do
    curl -fsS -o /dev/null -H "Cookie: route=sticky-check" "http://127.0.0.1:$PROXY_PORT/"
done
# nginx listens on loopback only.
if ss -ltnp 2>/dev/null | grep nginx | grep -v '127.0.0.1:' | grep -q .; then
    echo "nginx listens on a non-loopback address" >&2
    exit 1
fi

echo "[deploy] concurrent users through nginx: levels $LEVELS, ${DURATION}s each" >&2
"$PY" -m benchmarks.bench_users --url "http://127.0.0.1:$PROXY_PORT" --pids "$VIEWER_PIDS" \
    --levels "$LEVELS" --duration "$DURATION" --out "$DEPLOY_STATE/users.json"

"$PY" -m benchmarks.deploy_report --state "$DEPLOY_STATE" --users "$DEPLOY_STATE/users.json" \
    --viewer-ports "$VIEWER_PORTS" --writer-pid "$WRITER_PID" \
    --seconds "$(( $(date +%s) - started ))" --levels "$LEVELS" --duration "$DURATION"
echo "[deploy] wrote the measurement into docs/deploy.md" >&2
