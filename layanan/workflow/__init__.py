"""Workflow engine shared by applications, complaints and consultations.

A workflow is data: states, transitions (who may take each, from where, to where, under which
conditions) and deadlines in working days. This package is pure: it validates definitions, answers
"which transitions may this role take now", and computes due dates, pauses and escalations from a
case's history. The ORM side (one locked ``transition_<x>`` action per app) lives in the apps.

May import ``core``, ``audit``, ``notifications``, ``regions``, ``accounts`` and ``workdays``.
"""
