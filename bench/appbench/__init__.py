"""Bench-only Django bits for ``bench/applications.py`` (never installed in production).

``appbench.settings`` is ``layanan.settings`` plus this app and a URLconf that adds two bare views
beside every Layanan URL: the framework ceiling measured in the same run as the real endpoints
(the anchors' "bare Django" views, see ``shared/reference/perf-anchors.md`` section 2).
"""
