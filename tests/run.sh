#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs every test.
# Extra arguments go to pytest (e.g. `bash tests/run.sh -k loaders`).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -e .  # the app's packages, editable
# pygeoapi's wheel carries its own test suite as a top-level package `tests`, which would shadow ours: remove it
purelib=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
if grep -qs '^tests/__init__.py' "$purelib"/pygeoapi-*.dist-info/RECORD; then rm -rf "$purelib/tests"; fi

# Browser tests drive Debian's chromium (Playwright's own browser download does not work offline);
# the deploy tests start Debian's nginx in front of a stand-in replica; the map service overlay tests serve a
# generated layer through Debian's MapServer (mapserv, run as CGI).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v mapserv >/dev/null || missing+=(cgi-mapserver mapserver-bin)
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The layer store's shared suite also runs against a throwaway PostgreSQL/PostGIS (Debian packages).
if command -v apt-get >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  eval "$(bash tests/postgis.sh start)"
  trap 'bash tests/postgis.sh stop >/dev/null 2>&1 || true' EXIT
fi

.venv/bin/ruff check .
.venv/bin/lint-imports --no-cache  # the import layers in pyproject.toml
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadgroup "$@"  # two workers (two cores); browser tests on one
