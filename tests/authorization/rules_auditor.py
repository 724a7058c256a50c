"""Routes of the auditor's read-only workspace (issue 15)."""

from .rules import AUDITORS, Rule

RULES = {
    "auditor:workspace": Rule(
        allow=AUDITORS,
        known_bug=(
            "500 NoReverseMatch for object_timeline with an http.path entry "
            "(an audit entry of a denied request) in the list"
        ),
    ),
    "auditor:export": Rule(allow=AUDITORS),
    "auditor:integrity": Rule(allow=AUDITORS),
    "auditor:verify": Rule(allow=AUDITORS, method="post", auditor_may_post=True),
    "auditor:application_timeline": Rule(elsewhere="tests/auditor/test_workspace.py"),
    "auditor:officer_timeline": Rule(elsewhere="tests/auditor/test_workspace.py"),
    "auditor:object_timeline": Rule(elsewhere="tests/auditor/test_workspace.py"),
    "api:auditor-api:entries": Rule(allow=AUDITORS),
    "api:auditor-api:verify": Rule(allow=AUDITORS),
}
