"""A tiny keep-alive HTTP client on the stdlib (no extra dependency), one per simulated phone."""

from __future__ import annotations

import gzip
import http.client
import re
from dataclasses import dataclass, field

#: The two hidden fields the respondent form carries (same pattern as tests/support.py).
HIDDEN = re.compile(r'<input[^>]*name="(csrf_token|ticket)"[^>]*value="([^"]*)"', re.DOTALL)


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    wire: bytes  # body as sent (possibly gzip)

    @property
    def body(self) -> bytes:
        if self.headers.get("Content-Encoding") == "gzip":
            return gzip.decompress(self.wire)
        return self.wire

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    """One connection reused across requests (like a phone browser) and a cookie jar."""

    host: str
    port: int
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Reply:
        headers = {"Accept-Encoding": "gzip", "User-Agent": "respond-bench/1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            fresh = self.conn is None
            if fresh:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                wire = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.close()
                if fresh or attempt == 2:
                    raise
        for raw in response.headers.get_all("Set-Cookie") or []:
            name, _, value = raw.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        if response.will_close:
            self.close()
        return Reply(response.status, response.headers, wire)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
