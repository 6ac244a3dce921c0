"""Working-day calendar: national holidays and *cuti bersama* with their legal source, per-unit
closures, office-hours cut-off; ``add_working_days`` / ``working_days_between``.

May import ``core``, ``audit``, ``regions`` and ``accounts`` (service units).
"""
