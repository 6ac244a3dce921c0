"""Service catalog (*jenis layanan*) and, later, versioned service standards (*standar pelayanan*).

May import ``core``, ``audit``, ``notifications``, ``regions``, ``accounts`` and ``workdays``.
"""
