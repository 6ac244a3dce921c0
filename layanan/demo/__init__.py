"""Demo data for ``make run``: one regency MPP with agencies, services, staff and citizens.

Top layer: may import every app's ``actions`` and ``queries``; nothing imports it.
"""
