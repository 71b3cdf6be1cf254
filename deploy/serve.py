"""Start a replica with the upload guard in place before it accepts a connection.

    python deploy/serve.py run dashboard.py [streamlit options]     (what deploy/start-replica.sh runs)

`streamlit run` alone installs ui/upload_guard.py at a session's first script run; a session stopped before that run
could otherwise park files on a fresh replica.
"""

from __future__ import annotations

import sys

from streamlit.web import cli

from ui import upload_guard

if __name__ == "__main__":
    upload_guard.install_for_server()
    sys.exit(cli.main(prog_name="streamlit"))
