"""Only a session that shows a file uploader to an editor may upload, and only the files its widgets asked for.

Streamlit's upload route (PUT /_stcore/upload_file/<session>/<file id>) takes any file id for any live session and
keeps the file in memory until the session ends, so an anonymous visitor could park hundreds of megabytes per
request (8 × 190 MB took a replica from 484 MB to 2 GB). This module wraps Streamlit's classes once per
process:

- `runtime.is_active_session`, which the upload route asks before it reads a byte of the body, answers False for a
  session not allowed to upload: the route refuses it (400) without reading the file;
- the uploaded-file manager hands out upload addresses only to allowed sessions and keeps only a file whose id it
  handed out to that session (a made-up id is dropped, never stored).

A session is allowed for UPLOAD_WINDOW_S after a page drew a file uploader in it (`allow_uploads`); the pages draw one
only for editors (ui/access.py), and signing out withdraws it (`withhold_uploads`). The marks go with the session.
The app as served (`streamlit run app.py`, ui/serving.py) is guarded before it accepts its first connection: a session
stopped before its first script run (which would otherwise install this) can park nothing either.
"""

from __future__ import annotations

import logging
import threading
import time

from streamlit.runtime import Runtime
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

UPLOAD_WINDOW_S = 30 * 60  # an editor on an upload page may take a while to pick the file

_LOGGER = logging.getLogger(__name__)
_lock = threading.Lock()
_allowed: dict[str, float] = {}  # session id -> until (time.monotonic())
_issued: dict[str, set[str]] = {}  # session id -> the file ids handed out to it
_installed = False


def allowed(session_id: str) -> bool:
    with _lock:
        return _allowed.get(session_id, 0.0) > time.monotonic()


def allow_uploads() -> None:
    """This session shows a file uploader to an editor: it may upload for the next UPLOAD_WINDOW_S."""
    session_id = _current_session()
    if session_id is not None:
        with _lock:
            _allowed[session_id] = time.monotonic() + UPLOAD_WINDOW_S


def withhold_uploads() -> None:
    """This session may no longer upload (its editor signed out)."""
    session_id = _current_session()
    if session_id is not None:
        _forget(session_id)


def install() -> None:
    """Guard this process's uploads if it is a Streamlit server (every page calls this: under `streamlit run` the
    first script run installs the guard; AppTest has no server, and its files are put in place without the route)."""
    if not Runtime.exists():
        return
    ctx = get_script_run_ctx()
    if ctx is not None and ctx.uploaded_file_mgr is not Runtime.instance().uploaded_file_mgr:
        return  # AppTest's own runner with a file manager of its own: no server, no upload route
    install_for_server()


def install_for_server() -> None:
    """Wrap Streamlit's session check and in-memory uploaded-file manager, once per process, at class level (so the
    objects the server makes later are covered too): app.py's lifespan calls this before the server starts."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    is_active = Runtime.is_active_session
    get_upload_urls = MemoryUploadedFileManager.get_upload_urls
    add_file = MemoryUploadedFileManager.add_file
    remove_session_files = MemoryUploadedFileManager.remove_session_files

    def is_active_session(self, session_id: str) -> bool:  # asked by the upload route only
        return is_active(self, session_id) and allowed(session_id)

    def guarded_urls(self, session_id, file_names):
        if not allowed(session_id):
            _LOGGER.warning("upload addresses refused to a session that may not upload")
            return []
        infos = get_upload_urls(self, session_id, file_names)
        with _lock:
            _issued.setdefault(session_id, set()).update(info.file_id for info in infos)
        return infos

    def guarded_add(self, session_id, file) -> None:
        with _lock:
            asked = file.file_id in _issued.get(session_id, ())
        if not (asked and allowed(session_id)):
            _LOGGER.warning("an uploaded file no widget asked for was dropped (%d bytes)", len(file.data))
            return
        add_file(self, session_id, file)

    def forget_session(self, session_id: str) -> None:
        _forget(session_id)
        remove_session_files(self, session_id)

    Runtime.is_active_session = is_active_session
    MemoryUploadedFileManager.get_upload_urls = guarded_urls
    MemoryUploadedFileManager.add_file = guarded_add
    MemoryUploadedFileManager.remove_session_files = forget_session


def _forget(session_id: str) -> None:
    with _lock:
        _allowed.pop(session_id, None)
        _issued.pop(session_id, None)


def _current_session() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None
