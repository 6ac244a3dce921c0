from __future__ import annotations


class DemoNotAllowedError(Exception):
    """Demo accounts with published passwords and TOTP keys are refused outside development mode."""
