"""Complaints, suggestions and information requests (*pengaduan*, SP4N-LAPOR!-style): intake from
every channel, anonymity and confidentiality, the complaint workflow with working-day deadlines,
disposition chains, escalation, the routing assistant, duplicate hints, the public list and
statistics, and forwarding to SP4N-LAPOR!.

May import everything below it: ``catalog``, ``workflow``, ``workdays``, ``vault``, ``accounts``,
``audit``, ``notifications``, ``regions``, ``documents``, ``payments`` and ``core``. It does not
import ``applications`` (a sibling).
"""
