#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS server for the store tests, from Debian packages (no Docker).
#
#   eval "$(bash tests/postgis.sh start)"   # installs if missing, starts, exports TEST_DATABASE_URL
#   bash tests/postgis.sh url               # prints the URL of the running server
#   bash tests/postgis.sh stop              # stops it and removes its data directory
#
# The cluster lives in $PGTEST_DIR (default: $TMPDIR/industrikart-pgtest), listens on 127.0.0.1
# only, on a free port, with trust authentication: for tests, never for data that matters.
# start prints TEST_DATABASE_URL, not DATABASE_URL, so only the store tests use it; set
# DATABASE_URL="$(bash tests/postgis.sh url)" to run the whole app against it.
set -euo pipefail

DIR="${PGTEST_DIR:-${TMPDIR:-/tmp}/industrikart-pgtest}"
DB=industrikart_test

log() { echo "postgis.sh: $*" >&2; }

as_db_user() {
    # initdb and postgres refuse to run as root: use the postgres system user then.
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

postgis_installed() {
    ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1
}

install() {
    if bindir >/dev/null && postgis_installed; then return; fi
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    log "installing PostgreSQL and PostGIS with apt-get"
    $sudo apt-get update -qq >&2
    # postgresql-NN-postgis-3 matches the server version Debian ships (15 on bookworm)
    local version
    version=$(apt-cache show postgresql | sed -n 's/^Depends: .*postgresql-\([0-9][0-9]*\).*/\1/p' | head -n 1)
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "postgresql-$version" "postgresql-$version-postgis-3" >&2
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url() {
    [ -f "$DIR/url" ] || { log "not running (no $DIR/url)"; exit 1; }
    cat "$DIR/url"
}

start() {
    if [ -f "$DIR/url" ] && as_db_user "$(bindir)/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
        echo "export TEST_DATABASE_URL=$(cat "$DIR/url")"
        return
    fi
    install
    local bin port
    bin=$(bindir)
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
    as_db_user "$bin/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log"
    port=$(free_port)
    # fsync off: a test server that loses its data in a crash loses nothing of value
    as_db_user "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start \
        -o "-p $port -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" >&2
    as_db_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB"
    as_db_user "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d "$DB" -v ON_ERROR_STOP=1 \
        -c "CREATE EXTENSION postgis" >&2
    echo "postgresql://postgres@127.0.0.1:$port/$DB" >"$DIR/url"
    log "PostGIS ready on 127.0.0.1:$port (data in $DIR)"
    echo "export TEST_DATABASE_URL=$(cat "$DIR/url")"
}

stop() {
    local bin
    bin=$(bindir || true)
    if [ -n "$bin" ] && [ -d "$DIR/data" ]; then
        as_db_user "$bin/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$DIR"
    log "stopped"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    *) echo "usage: bash tests/postgis.sh start|stop|url" >&2; exit 2 ;;
esac
