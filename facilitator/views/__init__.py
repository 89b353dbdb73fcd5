"""Read models: what the screens show, worked out in the core from a ``CohortView`` and
the cohort's ``today``, so that ``review``, the exports and the TUI share one answer.

Screens compose and show; they import what to show from here.
"""
