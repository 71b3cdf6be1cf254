#!/usr/bin/env bash
# One Industrikart replica: `bash deploy/start-replica.sh PORT [ADDRESS]` (exec's Streamlit, so the PID is the server's).
#
# Environment: DATABASE_URL (required with more than one replica: everything shared lives in PostGIS),
# INDUSTRIKART_PG_SCHEMA, INDUSTRIKART_EDITOR_PASSWORD (or, for OIDC sign-in, the same .streamlit/secrets.toml:
# its [auth] cookie_secret signs the identity cookie), and INDUSTRIKART_COOKIE_SECRET: the same on every
# replica, so a session that fails over to another replica keeps a valid XSRF cookie for uploads.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:?usage: start-replica.sh PORT [ADDRESS]}
ADDRESS=${2:-127.0.0.1}
PYTHON=${PYTHON:-.venv/bin/python}
MAX_MB=$("$PYTHON" -c 'import config; print(config.MAX_UPLOAD_BYTES // (1024 * 1024))')
# Streamlit takes the cookie secret only from its config file or the environment, never the command line
[ -n "${INDUSTRIKART_COOKIE_SECRET:-}" ] && export STREAMLIT_SERVER_COOKIE_SECRET="$INDUSTRIKART_COOKIE_SECRET"
# app.py: the app as served (the upload guard in place before the first connection; ui/serving.py)
exec "$PYTHON" -m streamlit run app.py \
    --server.address "$ADDRESS" \
    --server.port "$PORT" \
    --server.headless true \
    --server.enableStaticServing true \
    --server.enableCORS true \
    --server.enableXsrfProtection true \
    --server.maxUploadSize "$MAX_MB" \
    --client.showErrorDetails none \
    --server.fileWatcherType none \
    --server.runOnSave false \
    --browser.gatherUsageStats false
