"""Password hashing tuned for a 2-core server.

Django's Argon2 default (m=100 MiB, t=2, p=8) costs about one second of CPU per login on the
project's 2-core machine (``../shared/reference/stack.md``), which lets a handful of login
attempts starve every citizen request. 19 MiB, t=2, p=1 is the OWASP minimum profile for
Argon2id and costs a few tens of milliseconds.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
