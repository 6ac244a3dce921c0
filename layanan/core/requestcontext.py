"""The id of the request being served, for audit events and log lines."""

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
