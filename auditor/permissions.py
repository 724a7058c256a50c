"""Who may use the auditor workspace, and the read-only rule of auditors."""

from django.urls import Resolver404, resolve

from accounts.permissions import is_admin, is_auditor, rule

#: Views an auditor may POST to: their own session and account security, the
#: language switch, "verify now" (a reading of the trail, not a change) and
#: the download of their own personal data (UU 27/2022 applies to staff too).
AUDITOR_WRITE_ALLOWED = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "admin:logout",
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:password_change",
        "set_language",
        "auditor:verify",
        "api:auditor-api:verify",
        "privacy:export",
        "api:privacy-api:export",
    }
)


@rule("audit_trail.read")
def can_read_trail(user, obj=None) -> bool:
    """Auditors and admins read the whole trail (every agency), except the
    citizens' drafts (``auditor.selectors.private_drafts_excluded``)."""
    return is_auditor(user) or is_admin(user)


def auditor_may_write(user, path: str) -> bool:
    """False for a read-only auditor on any path outside
    ``AUDITOR_WRITE_ALLOWED``. Admins who also hold the auditor role keep their
    admin rights. Source: issue 15, "auditor accounts can read and never
    write"."""
    if not is_auditor(user) or is_admin(user):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True  # a 404 follows anyway
    return match.view_name in AUDITOR_WRITE_ALLOWED
