"""The Open311 GeoReport v2 server over complaints (``/open311/v2/``): discovery, services (the
complaint categories), service requests in JSON and XML, and the per-client API keys that platform
administrators manage (``/petugas/open311/``).

May import everything below it: ``applications | complaints``, ``catalog``, ``workflow``,
``workdays``, ``vault``, ``accounts``, ``audit``, ``notifications``, ``regions`` and ``core``.
"""
