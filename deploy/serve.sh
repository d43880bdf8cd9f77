#!/usr/bin/env bash
# The production layout on one machine: WORKERS app processes (`streamlit run app.py`), each on
# its own loopback port, all on one database ($INDICATORS_DB: a DuckDB file, or a postgresql://
# URL for a server shared with other machines), behind nginx with sticky sessions on
# ADDRESS:PORT. Every worker can show figures and take uploads; the database keeps them in step.
#
#   deploy/serve.sh run      start, then wait; Ctrl-C (or TERM) stops everything (`make serve`)
#   deploy/serve.sh start    start in the background and print the address
#   deploy/serve.sh status   which processes run
#   deploy/serve.sh stop
#   deploy/serve.sh pids worker|nginx
#
# Settings: WORKERS (default: the number of cores), PORT (8501), ADDRESS (127.0.0.1; 0.0.0.0 to
# serve other machines), SERVE_STATE (logs, pids and the rendered nginx.conf; default
# /tmp/indicators-serve-$PORT).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORKERS="${WORKERS:-$(nproc)}"
PORT="${PORT:-8501}"
ADDRESS="${ADDRESS:-127.0.0.1}"
STATE="${SERVE_STATE:-/tmp/indicators-serve-$PORT}"
PY="$ROOT/.venv/bin/python"

log() { echo "[serve] $*" >&2; }

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

find_nginx() {
    NGINX="$(command -v nginx || true)"
    [ -n "$NGINX" ] || NGINX=/usr/sbin/nginx
    if [ ! -x "$NGINX" ]; then
        log "nginx is not installed: apt-get install nginx (make test installs it)"
        exit 1
    fi
}

start() {
    if [ -f "$STATE/pids" ]; then
        log "already running (see $STATE/pids); run '$0 stop' first"
        exit 1
    fi
    find_nginx
    mkdir -p "$STATE"
    : >"$STATE/pids"
    local servers="" ports=""
    for i in $(seq 1 "$WORKERS"); do
        local port
        port=$(free_port)
        (cd "$ROOT" && exec setsid "$PY" -m streamlit run app.py \
            --server.port "$port" --server.address 127.0.0.1 --server.headless true \
            --browser.gatherUsageStats false >"$STATE/worker$i.log" 2>&1) &
        echo "worker$i $!" >>"$STATE/pids"
        servers+="        server 127.0.0.1:$port;"$'\n'
        ports+="$port "
    done
    sed -e "s|@STATE@|$STATE|g" -e "s|@PORT@|$PORT|g" -e "s|@ADDRESS@|$ADDRESS|g" \
        "$ROOT/deploy/nginx.conf.template" | "$PY" -c '
import sys
print(sys.stdin.read().replace("@WORKER_SERVERS@\n", sys.argv[1]), end="")' "$servers" \
        >"$STATE/nginx.conf"
    "$NGINX" -t -q -p "$STATE" -c "$STATE/nginx.conf"
    (exec "$NGINX" -p "$STATE" -c "$STATE/nginx.conf" >"$STATE/nginx.log" 2>&1) &
    echo "nginx $!" >>"$STATE/pids"
    echo "WORKER_PORTS=\"${ports% }\"" >"$STATE/env"
    for port in $ports; do wait_healthy "http://127.0.0.1:$port" "the worker on port $port"; done
    local host="$ADDRESS"
    [ "$host" = "0.0.0.0" ] && host=127.0.0.1
    wait_healthy "http://$host:$PORT" "nginx"
    log "the dashboard: http://$ADDRESS:$PORT ($WORKERS app processes on ${INDICATORS_DB:-data/indicators.duckdb})"
}

pids_of() {  # prefix
    awk -v p="$1" 'index($1, p) == 1 {print $2}' "$STATE/pids"
}

stop() {
    [ -f "$STATE/pids" ] || { log "not running"; return 0; }
    while read -r _name pid; do kill -TERM "$pid" 2>/dev/null || true; done <"$STATE/pids"
    for _ in $(seq 1 40); do
        local alive=0
        while read -r _name pid; do kill -0 "$pid" 2>/dev/null && alive=1; done <"$STATE/pids"
        [ "$alive" = 0 ] && break
        sleep 0.25
    done
    while read -r _name pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$STATE/pids"
    rm -f "$STATE/pids"
    log "stopped"
}

status() {
    [ -f "$STATE/pids" ] || { echo "not running"; return 0; }
    while read -r name pid; do
        if kill -0 "$pid" 2>/dev/null; then echo "$name $pid running"; else echo "$name $pid gone"; fi
    done <"$STATE/pids"
}

case "${1:-}" in
    run)
        trap stop EXIT INT TERM
        start
        log "press Ctrl-C to stop"
        while sleep 3600; do :; done
        ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    pids) pids_of "${2:-}" ;;
    *) echo "usage: $0 run|start|stop|status|pids NAME" >&2; exit 2 ;;
esac
