"""Routes of the project root: home, health, the favicon redirect, language,
API schema and docs, and the Django admin."""

from .rules import ADMIN, Rule, public

RULES = {
    "home": public(),
    "healthz": public(),
    "favicon": public(),
    "set_language": public(
        method="post", data=lambda w: {"language": "id"}, auditor_may_post=True
    ),
    "api:schema": public(),
    "api:docs": public(),
}

#: Every admin page: only admins (the admin's own login page for anyone).
PREFIX_RULES = {
    "admin:": Rule(allow=frozenset({ADMIN})),
}
#: Admin pages open to everyone (its login and the password-reset stubs).
ADMIN_OPEN = {"admin:login", "admin:logout", "admin:jsi18n"}
