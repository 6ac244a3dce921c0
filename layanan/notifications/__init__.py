"""One notification service for every capability: ``notify()`` records a message and delivers it
after the surrounding transaction commits, through a pluggable channel (e-mail, SMS; console or
file backends in development, any gateway class by dotted path in production). What did not go
out is retried by ``layanan send_pending_notifications`` (run it from cron). A sink: knows users
only through ``settings.AUTH_USER_MODEL``.
"""
