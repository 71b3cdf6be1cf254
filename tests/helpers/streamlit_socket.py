"""A Streamlit session over a raw websocket, as any client (or attacker) can open one: for the flood benchmark and
the upload-guard tests. No browser: the server's own messages (protobuf) are read as they come."""

from __future__ import annotations

import asyncio
import time

import requests
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


def page_cookie(url: str) -> tuple[str, str]:
    """The cookies Streamlit gives a visitor (its health answer sets the XSRF cookie) as a header, and the token."""
    with requests.get(url.rstrip("/") + "/_stcore/health", timeout=30) as response:
        cookies = response.cookies.get_dict()
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), cookies.get("_streamlit_xsrf", "")


class Session:
    """One Streamlit session over a raw websocket: reruns a page and collects what the server says."""

    def __init__(self, socket):
        self.socket = socket
        self.session_id = ""
        self.deferred: list[str] = []
        self.finished = asyncio.Event()
        self.started = asyncio.Event()  # the server's NewSession came: `session_id` is known
        self.answers = 0
        self.failures: list[str] = []  # the answers that were errors (a refusal, a failed export)
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, url: str, cookie: str, xsrf: str) -> Session:
        address = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        socket = await websockets.connect(
            address, subprotocols=["streamlit", xsrf], additional_headers={"Cookie": cookie}, max_size=None
        )
        return cls(socket)

    async def _read(self) -> None:
        async for payload in self.socket:
            message = ForwardMsg()
            message.ParseFromString(payload)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id
                self.started.set()
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                if element.WhichOneof("type") == "download_button" and element.download_button.deferred_file_id:
                    self.deferred.append(element.download_button.deferred_file_id)
            elif kind == "script_finished":
                self.finished.set()
            elif kind == "backend_operation_response":
                self.answers += 1
                if message.backend_operation_response.error_msg:
                    self.failures.append(message.backend_operation_response.error_msg)

    @staticmethod
    def rerun_message(page: str = "") -> bytes:
        return BackMsg(rerun_script=ClientState(query_string="", page_name=page)).SerializeToString()

    async def run(self, page: str = "", timeout_s: float = 300) -> float:
        """Rerun `page` and wait for its end; the seconds it took."""
        self.finished.clear()
        started = time.monotonic()
        await self.socket.send(self.rerun_message(page))
        await asyncio.wait_for(self.finished.wait(), timeout_s)
        return time.monotonic() - started

    async def ask_downloads(self, file_id: str, times: int) -> None:
        for i in range(times):  # sent back to back: one batch as far as the server can tell
            request = BackMsg()
            request.backend_operation_request.request_id = f"flood-{i}"
            request.backend_operation_request.session_id = self.session_id
            request.backend_operation_request.deferred_file.file_id = file_id
            await self.socket.send(request.SerializeToString())

    async def stop(self) -> None:
        """Stop the script run under way (a client may send this at once, before the page's code runs)."""
        await self.socket.send(BackMsg(stop_script=True).SerializeToString())

    async def close(self) -> None:
        await self.socket.close()
        self._reader.cancel()
