"""ui/upload_guard.py's rules on Streamlit's own classes: the in-memory uploaded-file manager, and Runtime's session
check on a stand-in session manager. The wrap is undone after each test (it is for server processes only).

(The real server, chromium and nginx: tests/test_upload_guard.py.)
"""

from __future__ import annotations

import pytest
from streamlit.runtime import Runtime
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from ui import upload_guard


class StandInRuntime:
    """Just what Runtime.is_active_session reads."""

    def __init__(self):
        self.uploaded_file_mgr = MemoryUploadedFileManager("/_stcore/upload_file")
        self._session_mgr = self
        self.live = {"editor", "viewer"}

    def is_active_session(self, session_id: str) -> bool:  # the session manager's answer
        return session_id in self.live

    def route_asks(self, session_id: str) -> bool:  # what the upload route asks: Runtime's own method
        return Runtime.is_active_session(self, session_id)


@pytest.fixture
def runtime(monkeypatch):
    for cls, names in (
        (Runtime, ("is_active_session",)),
        (MemoryUploadedFileManager, ("get_upload_urls", "add_file", "remove_session_files")),
    ):
        for name in names:  # restored after the test: other tests' AppTests put files in place directly
            monkeypatch.setattr(cls, name, getattr(cls, name))
    monkeypatch.setattr(upload_guard, "_installed", False)
    monkeypatch.setattr(upload_guard, "_allowed", {})
    monkeypatch.setattr(upload_guard, "_issued", {})
    upload_guard.install_for_server()
    upload_guard.install_for_server()  # a second call wraps nothing twice
    return StandInRuntime()


def allow(monkeypatch, session_id: str):
    monkeypatch.setattr(upload_guard, "_current_session", lambda: session_id)
    upload_guard.allow_uploads()


def rec(file_id: str, size: int = 10) -> UploadedFileRec:
    return UploadedFileRec(file_id=file_id, name="generated.bin", type="application/octet-stream", data=b"\0" * size)


def test_a_session_without_an_uploader_is_no_session_to_the_upload_route(runtime, monkeypatch):
    allow(monkeypatch, "editor")
    assert runtime.route_asks("editor")
    assert not runtime.route_asks("viewer")  # live, but it never showed an uploader
    assert not runtime.route_asks("gone")
    assert runtime.uploaded_file_mgr.get_upload_urls("viewer", ["a.csv"]) == []


def test_only_files_a_widget_asked_for_are_kept(runtime, monkeypatch):
    allow(monkeypatch, "editor")
    manager = runtime.uploaded_file_mgr
    (asked,) = manager.get_upload_urls("editor", ["layer.geojson"])
    manager.add_file("editor", rec(asked.file_id))
    manager.add_file("editor", rec("made-up-id", 5_000_000))
    manager.add_file("viewer", rec("made-up-id", 5_000_000))
    assert [f.file_id for f in manager.get_files("editor", [asked.file_id, "made-up-id"])] == [asked.file_id]
    assert manager.get_files("viewer", ["made-up-id"]) == []


def test_signing_out_and_the_session_ending_withdraw_the_permission(runtime, monkeypatch):
    allow(monkeypatch, "editor")
    upload_guard.withhold_uploads()
    assert not runtime.route_asks("editor")
    allow(monkeypatch, "editor")
    runtime.uploaded_file_mgr.remove_session_files("editor")
    assert not runtime.route_asks("editor") and "editor" not in upload_guard._issued


def test_the_permission_lapses(runtime, monkeypatch):
    allow(monkeypatch, "editor")
    now = upload_guard.time.monotonic()
    monkeypatch.setattr(upload_guard.time, "monotonic", lambda: now + upload_guard.UPLOAD_WINDOW_S + 1)
    assert not runtime.route_asks("editor")
