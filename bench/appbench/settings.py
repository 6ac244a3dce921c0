"""Settings of the applications benchmark: ``layanan.settings`` unchanged, plus the bench app and
its URLconf (two bare views beside every Layanan URL). Used only by ``bench/applications.py``."""

from layanan.settings import *  # noqa: F403
from layanan.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "appbench"]
ROOT_URLCONF = "appbench.urls"
