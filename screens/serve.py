"""The app in a browser, through textual-serve (the optional ``serve`` extra).

The command line checks the address (loopback only) before it gets here.
"""

from __future__ import annotations

import shlex
import sys

from facilitator.i18n import t


def serve(command: list[str], host: str, port: int) -> bool:
    """Serve ``command`` on ``host:port`` until interrupted; False when textual-serve
    is not installed."""
    try:
        from textual_serve.server import Server
    except ImportError:
        return False
    sys.stderr.write(f"facilitator: {t('cli.serve.listening', url=f'http://{host}:{port}')}\n")
    Server(shlex.join(command), host=host, port=port).serve()
    return True
