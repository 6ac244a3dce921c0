"""Settings of the complaints benchmark: ``layanan.settings`` unchanged, plus the applications
benchmark's bare views (``appbench``, reused as it is) and this URLconf. The only bench-only
change: the per-address limit of the complaints API is lifted (every wrk request comes from
127.0.0.1); the counter itself still runs on every request. Used only by ``bench/complaints.py``."""

from layanan.settings import *  # noqa: F403
from layanan.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "appbench"]
ROOT_URLCONF = "cmpbench.urls"
LAYANAN_COMPLAINT_API_SUBMISSIONS_PER_HOUR = 10**9
