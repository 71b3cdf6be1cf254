#!/usr/bin/env bash
# Two replicas behind nginx on one PostGIS, for real, on loopback:
#   1. PostGIS (as tests/postgis.sh does), replicas A and B (DATABASE_URL set), nginx in front;
#   2. upload through nginx (landing on A or B), seen on B directly; deleted on B, gone on A;
#   3. load: SESSIONS browser sessions for LOAD_SECONDS through nginx: 0 errors, p50/p95, RSS flat;
#      first the same load against ONE replica (the single-process figures), then through nginx on two;
#   4. then kill -9 replica A with the load still on: its sessions reconnect through nginx to B (KILL_SECONDS
#      more of load), no stored layer lost;
# then one summary table; non-zero exit if any check fails. Stops everything it started, by PID.
# LOAD_SECONDS (default 300) and SESSIONS (default 20) may be lowered for a quick try.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SESSIONS=${SESSIONS:-20}
LOAD_SECONDS=${LOAD_SECONDS:-300}
KILL_SECONDS=${KILL_SECONDS:-90}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/industrikart-replicas-XXXXXX")
chmod 755 "$WORK"  # the postgres user must reach its data directory below
export PGTEST_DIR="$WORK/pg"  # a server of its own: never the one tests/run.sh uses
PIDS=()
NGINX_PID=""

log() { echo "try-replicas: $*" >&2; }

cleanup() {
    local rc=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
    for pid in "${PIDS[@]}" $NGINX_PID; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    done
    bash tests/postgis.sh stop >/dev/null 2>&1 || true
    [ "$rc" -eq 0 ] || { log "failed (rc $rc); logs in $WORK"; tail -n 30 "$WORK"/*.log >&2 2>/dev/null || true; }
    [ "$rc" -ne 0 ] || rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_health() {  # URL [PID]
    local url=$1 pid=${2:-}
    for _ in $(seq 240); do
        curl -fsS -o /dev/null "$url/_stcore/health" 2>/dev/null && return 0
        [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || { log "pid $pid exited"; return 1; }
        sleep 0.5
    done
    log "no health from $url"; return 1
}

if ! command -v nginx >/dev/null; then
    sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nginx >/dev/null
fi

eval "$(bash tests/postgis.sh start)"
export DATABASE_URL="$TEST_DATABASE_URL"
export INDUSTRIKART_PG_SCHEMA=industrikart_replicas
export INDUSTRIKART_COOKIE_SECRET
INDUSTRIKART_COOKIE_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
unset INDUSTRIKART_EDITOR_PASSWORD  # open local use: the checks upload and delete

# Two stored layers before any replica starts: the kill must not lose them.
for i in 1 2; do
    printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"navn":"Lag %s"},"geometry":{"type":"Point","coordinates":[10.%s,63.4]}}]}' "$i" "$i" >"$WORK/seed$i.geojson"
    $PY -m loaders ingest "$WORK/seed$i.geojson" --kind other --title "Fast lag $i" >/dev/null
done
layer_ids() { $PY -c 'from store import open_store; print(",".join(str(i.id) for i in sorted(open_store().list(), key=lambda i: i.id)))'; }

start_replica() {  # PORT NAME -> PID in $REPLICA_PID
    bash deploy/start-replica.sh "$1" >"$WORK/$2.log" 2>&1 &
    REPLICA_PID=$!
    PIDS+=("$REPLICA_PID")
}
PORT_A=$(free_port); start_replica "$PORT_A" replica-a; PID_A=$REPLICA_PID
PORT_B=$(free_port); start_replica "$PORT_B" replica-b; PID_B=$REPLICA_PID
wait_health "http://127.0.0.1:$PORT_A" "$PID_A"
wait_health "http://127.0.0.1:$PORT_B" "$PID_B"

PORT_N=$(free_port)
mkdir -p "$WORK/nginx"
# --expose-upstream: the checks read which replica answered from a header (never in an installation's config)
$PY deploy/render_nginx.py --listen "127.0.0.1:$PORT_N" --rundir "$WORK/nginx" --expose-upstream \
    "127.0.0.1:$PORT_A" "127.0.0.1:$PORT_B" >"$WORK/nginx.conf"
nginx -t -q -c "$WORK/nginx.conf" -p "$WORK/nginx"
nginx -c "$WORK/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' >"$WORK/nginx-stdout.log" 2>&1 &
NGINX_PID=$!
NGINX="http://127.0.0.1:$PORT_N"
wait_health "$NGINX" "$NGINX_PID"
log "PostGIS, replicas A :$PORT_A (pid $PID_A), B :$PORT_B (pid $PID_B), nginx :$PORT_N (pid $NGINX_PID)"

log "upload via nginx, seen on B; delete on B, gone on A"
$PY -m deploy.checks.crosscheck --via "$NGINX" --a "http://127.0.0.1:$PORT_A" --b "http://127.0.0.1:$PORT_B" \
    --out "$WORK/cross.json" >&2 || echo '{"failed": true}' >"$WORK/cross.json"

# One replica first, on the same PostGIS, so the two-replica figures are not the warmer machine's.
log "the load against ONE replica (single-process figures)"
PORT_S=$(free_port); start_replica "$PORT_S" replica-single; PID_S=$REPLICA_PID
wait_health "http://127.0.0.1:$PORT_S" "$PID_S"
$PY -m deploy.checks.load --url "http://127.0.0.1:$PORT_S" --sessions "$SESSIONS" --seconds "$LOAD_SECONDS" \
    --pids "$PID_S" --out "$WORK/one.json" >&2 || echo '{"failed": true}' >"$WORK/one.json"
kill "$PID_S"; for _ in $(seq 50); do kill -0 "$PID_S" 2>/dev/null || break; sleep 0.2; done

BEFORE=$(layer_ids)
log "the same load: $SESSIONS sessions for $LOAD_SECONDS s through nginx on two replicas, then kill -9 A and $KILL_SECONDS s more"
$PY -m deploy.checks.load --url "$NGINX" --sessions "$SESSIONS" --seconds "$LOAD_SECONDS" \
    --pids "$PID_A,$PID_B" --kill-pid "$PID_A" --killed-port "$PORT_A" --after-kill "$KILL_SECONDS" \
    --out "$WORK/two.json" >&2 || echo '{"failed": true}' >"$WORK/two.json"
AFTER=$(layer_ids)


$PY -m deploy.checks.summary --work "$WORK" --layers-before "$BEFORE" --layers-after "$AFTER" \
    --pids "$PID_A,$PID_B,$PID_S"
