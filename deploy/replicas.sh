#!/usr/bin/env bash
# Start or stop the multi-replica layout on this machine (docs/deploy.md):
#   one writer   `streamlit run app.py` on the database, publishing a snapshot after each change
#   N viewers    `streamlit run app.py` on the snapshot, read-only (INDICATORS_READ_ONLY=1)
#   nginx        127.0.0.1:$PROXY_PORT -> viewers (sticky by cookie, websockets proxied)
#                127.0.0.1:$WRITER_PROXY_PORT -> the writer (uploads, history)
# Everything listens on 127.0.0.1 only. State (databases, logs, pids, ports) lives in
# $DEPLOY_STATE (default /tmp/indicators-deploy).
#
#   deploy/replicas.sh start     # prints the two URLs
#   deploy/replicas.sh status
#   deploy/replicas.sh stop
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${DEPLOY_STATE:-/tmp/indicators-deploy}"
REPLICAS="${REPLICAS:-2}"
PY="$ROOT/.venv/bin/python"

log() { echo "[replicas] $*" >&2; }

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_healthy() {  # url name
    for _ in $(seq 1 240); do
        if curl -fsS -o /dev/null "$1/_stcore/health" 2>/dev/null; then return 0; fi
        sleep 0.5
    done
    log "$2 did not become healthy; see $STATE/*.log"
    return 1
}

ensure_nginx() {
    if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
        log "installing Debian's nginx"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
    fi
    NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
}

start_streamlit() {  # name port env...
    local name="$1" port="$2"
    shift 2
    (cd "$ROOT" && exec env "$@" setsid "$PY" -m streamlit run app.py \
        --server.port "$port" --server.address 127.0.0.1 --server.headless true \
        --browser.gatherUsageStats false >"$STATE/$name.log" 2>&1) &
    echo "$name $!" >>"$STATE/pids"
}

start() {
    if [ -f "$STATE/pids" ]; then
        log "already running (see $STATE/pids); run '$0 stop' first"
        exit 1
    fi
    ensure_nginx
    mkdir -p "$STATE/snapshot"
    : >"$STATE/pids"
    WRITER_PORT=$(free_port); PROXY_PORT=$(free_port); WRITER_PROXY_PORT=$(free_port)
    local db="$STATE/writer.duckdb" snapshot="$STATE/snapshot/indicators.duckdb"
    if [ ! -f "$db" ]; then
        log "building the database from data/ and publishing the first snapshot"
        (cd "$ROOT" && "$PY" -c '
import sys
from indicators.bundled import init_database
from indicators.store import Store
with Store(sys.argv[1]) as store:
    init_database(store)
    store.publish_snapshot(sys.argv[2])
' "$db" "$snapshot")
    fi
    start_streamlit writer "$WRITER_PORT" INDICATORS_DB="$db" INDICATORS_SNAPSHOT="$snapshot"
    local servers="" viewer_ports=""
    for i in $(seq 1 "$REPLICAS"); do
        local port
        port=$(free_port)
        start_streamlit "viewer$i" "$port" INDICATORS_DB="$snapshot" INDICATORS_READ_ONLY=1
        servers+="        server 127.0.0.1:$port;"$'\n'
        viewer_ports+="$port "
    done
    sed -e "s|@STATE@|$STATE|g" -e "s|@PROXY_PORT@|$PROXY_PORT|g" \
        -e "s|@WRITER_PORT@|$WRITER_PORT|g" -e "s|@WRITER_PROXY_PORT@|$WRITER_PROXY_PORT|g" \
        "$ROOT/deploy/nginx.conf.template" | "$PY" -c '
import sys
print(sys.stdin.read().replace("@VIEWER_SERVERS@\n", sys.argv[1]), end="")' "$servers" \
        >"$STATE/nginx.conf"
    "$NGINX" -t -q -p "$STATE" -c "$STATE/nginx.conf"
    (exec "$NGINX" -p "$STATE" -c "$STATE/nginx.conf" >"$STATE/nginx.log" 2>&1) &
    echo "nginx $!" >>"$STATE/pids"
    {
        echo "PROXY_PORT=$PROXY_PORT"
        echo "WRITER_PROXY_PORT=$WRITER_PROXY_PORT"
        echo "WRITER_PORT=$WRITER_PORT"
        echo "VIEWER_PORTS=\"${viewer_ports% }\""
    } >"$STATE/env"
    wait_healthy "http://127.0.0.1:$WRITER_PORT" writer
    for port in $viewer_ports; do wait_healthy "http://127.0.0.1:$port" "viewer on $port"; done
    wait_healthy "http://127.0.0.1:$PROXY_PORT" "nginx (viewers)"
    wait_healthy "http://127.0.0.1:$WRITER_PROXY_PORT" "nginx (writer)"
    log "viewers:      http://127.0.0.1:$PROXY_PORT  ($REPLICAS read-only replicas)"
    log "contributors: http://127.0.0.1:$WRITER_PROXY_PORT  (the writer)"
}

# The pid of the python (or nginx) process itself, for memory: the recorded pid is the subshell
# that exec'd it, so it is the same process.
pids_of() {  # prefix
    awk -v p="$1" 'index($1, p) == 1 {print $2}' "$STATE/pids"
}

stop() {
    [ -f "$STATE/pids" ] || { log "not running"; return 0; }
    while read -r name pid; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done <"$STATE/pids"
    for _ in $(seq 1 40); do
        local alive=0
        while read -r name pid; do kill -0 "$pid" 2>/dev/null && alive=1; done <"$STATE/pids"
        [ "$alive" = 0 ] && break
        sleep 0.25
    done
    while read -r name pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$STATE/pids"
    rm -f "$STATE/pids"
    log "stopped"
}

status() {
    [ -f "$STATE/pids" ] || { echo "not running"; return 0; }
    while read -r name pid; do
        if kill -0 "$pid" 2>/dev/null; then echo "$name $pid running"; else echo "$name $pid gone"; fi
    done <"$STATE/pids"
    cat "$STATE/env"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    pids) pids_of "${2:-}" ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
