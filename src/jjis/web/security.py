"""Security headers on every response, and a log filter that keeps query strings out of logs.

The content security policy allows scripts, styles and images from the application itself only:
no inline script or style, no eval, no framing (`frame-ancestors 'none'` and X-Frame-Options).
Pages that show anything beyond the public figures are not cached.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from typing import Any

from jjis.errors import JjisError

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


class SecurityHeaders:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware): adds HEADERS, and
    `Cache-Control: no-store` unless the response set its own caching."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in HEADERS if k not in names]
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TrustedProxies:
    """Pure ASGI middleware: `X-Forwarded-For` and `X-Forwarded-Proto` are believed only when the
    peer is one of the configured proxies (`web.trusted_proxies`; default none). The client's
    address is then the right-most forwarded address that is not itself a trusted proxy (a
    client can prepend anything it likes; only what the proxies appended is known)."""

    def __init__(self, app: Any, trusted: list[str]) -> None:
        self.app = app
        try:
            self.nets = [ipaddress.ip_network(t, strict=False) for t in trusted]
        except ValueError as exc:
            raise JjisError(f"web.trusted_proxies holds {exc}; give addresses such as "
                            "\"127.0.0.1\" or networks such as \"10.0.0.0/8\"") from None

    def trusted(self, host: str) -> bool:
        try:
            ip = ipaddress.ip_address(host.strip())
        except ValueError:
            return False
        return any(ip in net for net in self.nets)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        client = scope.get("client")
        if scope["type"] == "http" and self.nets and client and self.trusted(str(client[0])):
            headers = dict(scope.get("headers") or [])
            scope = dict(scope)
            hops = [h.strip() for h in headers.get(b"x-forwarded-for", b"").decode("latin-1")
                    .split(",") if h.strip()]
            if hops:
                outside = [h for h in hops if not self.trusted(h)]
                scope["client"] = (outside[-1] if outside else hops[0], 0)
            proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto
        await self.app(scope, receive, send)


_QUERY = re.compile(r'(\s"?[A-Z]+ [^ ?"]*)\?[^ "]*')


class NoQueryStrings(logging.Filter):
    """Removes query strings from access-log lines (paths carry no record-level data; query
    strings might, in a hand-typed URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3:
            args = list(record.args)
            if isinstance(args[2], str):
                args[2] = args[2].split("?", 1)[0]
            record.args = tuple(args)
        else:
            record.msg = _QUERY.sub(r"\1", str(record.msg))
        return True


def quiet_access_log() -> None:
    logging.getLogger("uvicorn.access").addFilter(NoQueryStrings())
