"""Online applications (*permohonan*): forms as data, once-only documents, the workflow of each
service with working-day deadlines, tracking, fees and verifiable outputs.

May import everything below it: ``catalog``, ``workflow``, ``workdays``, ``vault``, ``accounts``,
``audit``, ``notifications``, ``regions``, ``documents``, ``payments`` and ``core``.
"""
