"""Every write of the accounts app, each in one transaction with its audit event.

Audit summaries hold no personal data: channels, roles, slugs and the *names* of changed fields.
The actions live in ``codes`` (citizen sign-in), ``profile`` (citizen data) and ``staff``.
"""

from layanan.accounts.actions.codes import (
    CODE_DIGITS,
    CODES_PER_ADDRESS_PER_HOUR,
    send_one_time_code,
    sign_in_with_code,
)
from layanan.accounts.actions.profile import update_citizen_profile
from layanan.accounts.actions.staff import (
    create_staff_member,
    deactivate_membership,
    enrol_totp_device,
    password_set_path,
)

__all__ = [
    "CODES_PER_ADDRESS_PER_HOUR",
    "CODE_DIGITS",
    "create_staff_member",
    "deactivate_membership",
    "enrol_totp_device",
    "password_set_path",
    "send_one_time_code",
    "sign_in_with_code",
    "update_citizen_profile",
]
