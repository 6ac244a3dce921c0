"""Identity and organisation: users, roles, agencies (*instansi*), service units (*unit layanan*),
staff memberships, citizen profiles with encrypted NIK, one-time sign-in codes.

May import ``core``, ``audit``, ``notifications`` and ``regions``.
"""
