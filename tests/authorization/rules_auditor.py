"""Routes of the auditor's read-only workspace (issue 15). Auditors read every
agency's trail but not the citizens' drafts: what the trail pages answer about
a draft is checked in tests/auditor/test_workspace.py
(``test_a_citizens_draft_is_not_in_the_trail_until_it_is_submitted``)."""

from .rules import AUDITORS, Rule

RULES = {
    # An entry about a refused path links to its timeline (path converter):
    # tests/auditor/test_workspace.py::test_entries_about_paths_link_to_their_timeline
    "auditor:workspace": Rule(allow=AUDITORS),
    "auditor:export": Rule(allow=AUDITORS),
    "auditor:integrity": Rule(allow=AUDITORS),
    "auditor:verify": Rule(allow=AUDITORS, method="post", auditor_may_post=True),
    "auditor:application_timeline": Rule(elsewhere="tests/auditor/test_workspace.py"),
    "auditor:officer_timeline": Rule(elsewhere="tests/auditor/test_workspace.py"),
    "auditor:object_timeline": Rule(elsewhere="tests/auditor/test_workspace.py"),
    "api:auditor-api:entries": Rule(allow=AUDITORS),
    "api:auditor-api:verify": Rule(allow=AUDITORS),
}
