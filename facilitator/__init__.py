"""facilitator: the core of the app (domain, rules, agenda clock, store, exports, CLI).

This package never imports Textual; the user interface lives in the top-level
``screens`` package.
"""

__version__ = "0.1.0"
