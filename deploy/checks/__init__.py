"""Browser checks of replicas behind nginx, run by deploy/try-replicas.sh from the repository's root, one command each:

  python -m deploy.checks.crosscheck  a layer uploaded through nginx is seen on B; deleted on B, gone on A
  python -m deploy.checks.load        many sessions at human pace: errors, rerun latency, RSS and CPU; kill -9
  python -m deploy.checks.summary     the figures and checks of the runs above as two tables

Debian's chromium through Playwright, launched as the browser tests launch it (tests/helpers/chromium.py).
"""
