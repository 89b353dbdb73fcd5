"""``serve`` answers only its own page, with the token of the run (issue 12, point 9).

Any web page open on the laptop can try a WebSocket to the loopback port; it must be
refused for its Origin, and without the secret token printed at start nothing is
served at all. The real program is started and spoken to over HTTP.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")


@dataclass(frozen=True)
class Served:
    url: str  # as printed, token included
    port: int
    token: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(data: Path) -> tuple[subprocess.Popen[str], Served]:
    port = free_port()
    env = {**os.environ, "FACILITATOR_LANG": "fr"}
    child = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "--data", str(data), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert child.stderr is not None
    line = child.stderr.readline()
    found = re.search(r"(http://127\.0\.0\.1:(\d+)/\?token=([\w-]+))", line)
    assert found, line
    return child, Served(found[1], int(found[2]), found[3])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    child, info = start(tmp_path / "ws")
    try:
        yield info
    finally:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


async def status(url: str, **headers: str) -> int:
    async with aiohttp.ClientSession() as session:
        for _ in range(50):  # the server may still be starting
            try:
                async with session.get(url, headers=headers) as response:
                    return response.status
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered")


async def websocket(url: str, origin: str | None) -> int:
    """101 when the WebSocket opens, else the HTTP status of the refusal."""
    headers = {"Origin": origin} if origin else {}
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers) as ws:
                await ws.close()
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


async def test_the_page_needs_the_token_of_this_run(served: Served) -> None:
    base = f"http://127.0.0.1:{served.port}/"
    assert await status(base) == 403
    assert await status(f"{base}?token=devine") == 403
    assert await status(served.url) == 200
    async with aiohttp.ClientSession() as session, session.get(served.url) as response:
        page = await response.text()
    assert f"ws://127.0.0.1:{served.port}/ws/{served.token}" in page
    assert len(served.token) >= 32


async def test_a_websocket_from_another_origin_or_without_the_token_is_refused(
    served: Served,
) -> None:
    own = f"http://127.0.0.1:{served.port}"
    socket_url = f"ws://127.0.0.1:{served.port}/ws/{served.token}"
    await status(served.url)  # up
    assert await websocket(socket_url, "https://evil.example") == 403
    assert await websocket(socket_url, "http://127.0.0.1:9999") == 403  # another local page
    assert await websocket(f"ws://127.0.0.1:{served.port}/ws/devine", own) == 403
    assert await websocket(f"ws://127.0.0.1:{served.port}/ws", own) in (403, 404)
    assert await websocket(socket_url, own) == 101


async def test_a_rebound_host_name_is_refused(served: Served) -> None:
    """DNS rebinding: a page of evil.example resolved to 127.0.0.1 reads as same-origin."""
    await status(served.url)
    assert await status(served.url, Host=f"evil.example:{served.port}") == 403


def test_each_run_makes_its_own_token(tmp_path: Path) -> None:
    tokens = []
    for _ in range(2):
        child, info = start(tmp_path / "ws")
        child.send_signal(signal.SIGINT)
        child.wait(timeout=10)
        tokens.append(info.token)
    assert tokens[0] != tokens[1]
