"""The explorer's HTTP protocol: uvicorn's h11 protocol, with oversized request heads answered.

uvicorn's own answer to a request head larger than h11's buffer is a plain-text 400, and closing the
socket while the client is still sending resets the connection, so a client often sees no answer at
all. Here a request line longer than :data:`MAX_HEAD_BYTES` gets ``414 URI Too Long`` and a head
(request line plus header fields) longer than that gets ``431 Request Header Fields Too Large``, each
with a one-line JSON error like every other answer of the API; the server then stops sending, reads
and discards what the client still sends (up to :data:`DRAIN_BYTES`, for at most
:data:`DRAIN_SECONDS`) and closes, so the client reads the answer instead of a reset.
"""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

#: Largest request head (request line plus header fields) answered normally.
MAX_HEAD_BYTES = 64 * 1024
DRAIN_BYTES = 4 * 1024 * 1024
DRAIN_SECONDS = 2.0


def _answer(status: int, reason: str, message: str) -> bytes:
    body = json.dumps({"error": message}).encode()
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            f"x-content-type-options: nosniff\r\nconnection: close\r\n\r\n").encode() + body


class BoundedHeadProtocol(H11Protocol):
    """h11 with a bound on the request head and a 414/431 answer instead of a reset."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._head = bytearray()
        self._draining = -1  # bytes discarded since a refusal; -1 while not refusing

    def data_received(self, data: bytes) -> None:
        if self._draining >= 0:
            self._draining += len(data)
            if self._draining > DRAIN_BYTES:
                self.transport.close()
            return
        if self.conn.their_state is h11.IDLE:  # a request head is still being received
            self._head += data
            if len(self._head) > MAX_HEAD_BYTES and b"\r\n\r\n" not in self._head[:MAX_HEAD_BYTES + 4]:
                line_done = b"\r\n" in self._head[:MAX_HEAD_BYTES]
                if line_done:
                    out = _answer(431, "Request Header Fields Too Large",
                                  f"request header fields larger than {MAX_HEAD_BYTES} bytes")
                else:
                    out = _answer(414, "URI Too Long", f"request line longer than {MAX_HEAD_BYTES} bytes")
                self._refuse(out)
                return
            if b"\r\n\r\n" in self._head:
                self._head = bytearray()
        else:
            self._head = bytearray()
        super().data_received(data)

    def _refuse(self, answer: bytes) -> None:
        self._head = bytearray()
        self._draining = 0
        self.transport.write(answer)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(DRAIN_SECONDS, self._close_if_open)

    def _close_if_open(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()
