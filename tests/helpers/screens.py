"""Every screen class the app defines, for tests that hold them all to one rule."""

from __future__ import annotations

import importlib
import pkgutil

from textual.screen import Screen

import screens


def our_screens() -> set[type[Screen[object]]]:
    """The Screen subclasses under screens/ (its modules imported first; not the
    browser server, which needs the serve extra)."""
    for module in pkgutil.walk_packages(screens.__path__, "screens."):
        if module.name != "screens.serve":
            importlib.import_module(module.name)

    def below(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *below(sub))]

    return {c for c in below(Screen) if c.__module__.startswith("screens.")}
