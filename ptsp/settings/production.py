"""Production settings: ``base`` plus hardening. Nothing here has a secret default.

``manage.py check --deploy`` passes with no warning except those silenced below,
each with its reason.
"""

from .base import *

DEBUG = False
# Checkpoints of the audit trail must be signed with the city's own key.
AUDIT_SIGNING_KEY = env("AUDIT_SIGNING_KEY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading binds every subdomain of the city's domain for years; that is the
# city's decision, not this application's, so it stays off unless configured.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 3600)
# Staff log in with a second factor in production, whatever the environment says.
PTSP_STAFF_2FA_REQUIRED = True
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# gunicorn sync workers: each holds one connection, kept open for 10 minutes.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=600)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int(
    "CELERY_WORKER_MAX_TASKS_PER_CHILD", default=1000
)
# Issued documents are signed with the signatory's PSrE certificate; the local
# development CA is refused by `check --deploy` (documents.E001).
DOCUMENTS_SIGNER = env("DOCUMENTS_SIGNER", default="documents.signing.Pkcs12Signer")
