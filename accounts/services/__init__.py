"""Writes of the accounts app. Entry points own their transaction
(``durable=True``); each state change writes an audit entry in it."""

from .businesses import business_register, membership_confirm, membership_end
from .citizens import (
    account_close,
    citizen_register,
    contact_change_confirm,
    contact_change_request,
    password_change,
    password_reset_complete,
    password_reset_request,
    personal_ref,
    profile_update,
    registration_code_resend,
    registration_verify,
    user_find,
)
from .codes import CodeError, CodeRateLimited, CodeRejected, sms_available
from .delegations import delegation_create, delegation_revoke
from .staff import (
    StaffImportError,
    StaffRow,
    officer_update,
    staff_create,
    staff_csv_read,
    staff_import,
    staff_invite,
    staff_two_factor_reset,
)

__all__ = [
    "CodeError",
    "CodeRateLimited",
    "CodeRejected",
    "StaffImportError",
    "StaffRow",
    "account_close",
    "business_register",
    "citizen_register",
    "contact_change_confirm",
    "contact_change_request",
    "delegation_create",
    "delegation_revoke",
    "membership_confirm",
    "membership_end",
    "officer_update",
    "password_change",
    "password_reset_complete",
    "password_reset_request",
    "personal_ref",
    "profile_update",
    "registration_code_resend",
    "registration_verify",
    "sms_available",
    "staff_create",
    "staff_csv_read",
    "staff_import",
    "staff_invite",
    "staff_two_factor_reset",
    "user_find",
]
