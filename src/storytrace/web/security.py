"""security: what every response and every form of the web app goes through.

- **Headers** (:class:`SecurityHeaders`): a Content-Security-Policy that allows no script at all on
  every HTML page (the API reference included: it is a static page), ``nosniff``, a referrer
  only to this site (so its own forms send their ``Origin``), no framing.
- **Request size** (:class:`BodyLimit`): a request body larger than the upload limit is refused
  with 413 before it is read into memory (by its Content-Length, or while it streams in).
- **CSRF** (:func:`csrf_token`, :func:`check_csrf`): forms carry a random token that must match a
  ``SameSite=Strict`` cookie (double submit), and a request whose ``Origin`` names another site is
  refused; the JSON API takes only ``application/json`` bodies, which another site cannot send
  without a CORS preflight the app never grants.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
CSRF_COOKIE = "storytrace_csrf"
CSRF_FIELD = "csrf"


class BodyTooLarge(Exception):
    """The request body is over the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request is larger than {limit:,} bytes (max_file_bytes plus form overhead)")
        self.limit = limit


class CsrfError(Exception):
    """A form post without a valid token, or from another site."""


class SecurityHeaders:
    """ASGI middleware: the no-script Content-Security-Policy on HTML pages, ``nosniff`` everywhere."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                html = any(k == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                if html:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                    headers.append((b"x-frame-options", b"DENY"))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"same-origin"))  # our forms send their origin
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes (413) without buffering them."""

    def __init__(self, app: Any, limit: int, refuse: Any) -> None:
        self.app = app
        self.limit = limit
        #: ``refuse(scope) -> Response`` for a body announced too large
        self.refuse = refuse

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            response: Response = self.refuse(scope, self.limit)
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, counted, send)


def csrf_token(request: Request) -> tuple[str, bool]:
    """The form token of this browser (from its cookie), or a new one (``True``: set the cookie)."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if len(token) == 64 and all(c in "0123456789abcdef" for c in token):
        return token, False
    return secrets.token_hex(32), True


def set_csrf_cookie(response: Response, token: str) -> None:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")


def same_origin(request: Request) -> bool:
    """False when the request says it comes from another site (``Origin``, else ``Referer``)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin != "null"
    return urlsplit(origin).netloc == request.headers.get("host", "")


def check_csrf(request: Request, token: str) -> None:
    """Refuse a form post whose token does not match the cookie, or that comes from another site."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not same_origin(request):
        raise CsrfError("the form was sent from another site; open the form on this site and send it again")
    if not cookie or not token or not hmac.compare_digest(cookie, token):
        raise CsrfError(
            "the form has expired or was not sent from this site; reload the form and send it again"
        )
