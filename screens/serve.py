"""The app in a browser, through textual-serve (the optional ``serve`` extra).

The command line checks the address (loopback only) before it gets here. Loopback
is not enough on its own: any web page open in the facilitator's browser can open a
WebSocket to ``ws://127.0.0.1:8000`` and drive the app, and a page on a domain that
resolves to 127.0.0.1 (DNS rebinding) can even read it. So, as Jupyter does:

- each run makes a secret token and prints the address that carries it; the page
  and its WebSocket are served only with that token (compared in constant time);
- a WebSocket whose ``Origin`` is not this server's own loopback address is refused
  (a browser always sends it; a page elsewhere cannot forge it);
- a request whose ``Host`` is not a loopback name of this port is refused.
"""

from __future__ import annotations

import hmac
import secrets
import shlex
import sys
from typing import Any

from facilitator.i18n import t

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def _authority(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def make_server(command: list[str], host: str, port: int, token: str | None = None) -> Any:
    """A textual-serve server that asks for the token and checks Origin and Host.

    Raises ImportError when textual-serve is not installed.
    """
    import aiohttp_jinja2
    import jinja2
    from aiohttp import web
    from textual_serve.server import Server

    class GuardedServer(Server):  # type: ignore[misc,unused-ignore]  # Any without stubs
        def __init__(self) -> None:
            authority = _authority(host, port)
            super().__init__(shlex.join(command), host=host, port=port)
            self.public_url = f"http://{authority}"
            self.token = token or secrets.token_urlsafe(32)
            names = {authority, *(_authority(n.strip("[]"), port) for n in LOOPBACK_NAMES)}
            self.hosts = frozenset(names)
            self.origins = frozenset(f"http://{name}" for name in names)

        @property
        def url(self) -> str:
            return f"{self.public_url}/?token={self.token}"

        def _token_ok(self, given: str) -> bool:
            return hmac.compare_digest(given.encode(), self.token.encode())

        async def _make_app(self) -> web.Application:
            app = web.Application(middlewares=[self._guard])
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes(
                [
                    web.get("/", self.handle_index, name="index"),
                    web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                    web.get("/download/{key}", self.handle_download, name="download"),
                    web.static("/static", self.statics_path, name="static"),
                ]
            )
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        @web.middleware
        async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
            if request.host not in self.hosts:
                raise web.HTTPForbidden(text=t("cli.serve.refused_host"))
            if request.path == "/" and not self._token_ok(request.query.get("token", "")):
                raise web.HTTPForbidden(text=t("cli.serve.refused_token"))
            if request.path.startswith("/ws"):
                if not self._token_ok(request.match_info.get("token", "")):
                    raise web.HTTPForbidden(text=t("cli.serve.refused_token"))
                origin = request.headers.get("Origin")
                if origin is not None and origin not in self.origins:
                    raise web.HTTPForbidden(text=t("cli.serve.refused_origin"))
            response: web.StreamResponse = await handler(request)
            return response

        @aiohttp_jinja2.template("app_index.html")
        async def handle_index(self, request: web.Request) -> dict[str, Any]:
            """textual-serve's page, with the WebSocket address that carries the token."""
            router = request.app.router
            socket = router["websocket"].url_for(token=self.token)
            static = router["static"].url_for(filename="/")
            try:
                font_size = int(request.query.get("fontsize", "16"))
            except ValueError:
                font_size = 16
            return {
                "font_size": font_size,
                "app_websocket_url": f"ws://{request.host}{socket}",
                "config": {"static": {"url": f"{self.public_url}{static}".rstrip("/") + "/"}},
                "application": {"name": t("cli.serve.title")},
            }

        async def on_startup(self, app: web.Application) -> None:
            """Quiet: the command line has said where to go."""

    return GuardedServer()


def serve(command: list[str], host: str, port: int) -> bool:
    """Serve ``command`` on ``host:port`` until interrupted; False when textual-serve
    is not installed."""
    try:
        server = make_server(command, host, port)
    except ImportError:
        return False
    sys.stderr.write(f"facilitator: {t('cli.serve.listening', url=server.url)}\n")
    sys.stderr.flush()
    server.serve()
    return True
