"""Base settings: every value comes from the environment (see ``.env.example``).

No secret has a default here. ``dev`` fills in harmless development values before
importing this module; ``production`` only hardens.

Embedded default (nothing configured): SQLite in WAL mode and Celery's
``filesystem://`` broker under ``var/``. ``DATABASE_URL`` and ``REDIS_URL`` switch to
PostgreSQL and Redis.
"""

from datetime import timedelta
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A developer's .env (never committed) is read when present; real environment wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Public origin used in links that leave the request cycle (e-mails, QR codes).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ptsp",
    "accounts",
    "agencies",
    "permits",
    "queueing",
    "audit",
    "notifications",
    "sla",
    "workspace",
    "channeling",
    "payments",
    "documents",
    "privacy",
    "auditor",
    "transparency",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ptsp.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A logged-in user's stored language wins over the cookie (issue 18).
    "accounts.language.UserLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Second factor and session timeouts of staff (needs OTP and messages).
    "accounts.middleware.StaffSessionMiddleware",
    # Auditor accounts read and never write (auditor.permissions).
    "auditor.middleware.AuditorReadOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ptsp.urls"
WSGI_APPLICATION = "ptsp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# SQLite is shared by web, worker and beat: WAL lets readers run beside one writer,
# IMMEDIATE transactions take the write lock up front (no upgrade deadlocks), and the
# busy timeout waits instead of failing with "database is locked".
_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'ptsp.sqlite3'}"
DATABASES = {"default": env.db("DATABASE_URL", default=_SQLITE_DEFAULT)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
            ),
        }
    )
# Optional read replica for reports and auditor queries (ptsp.db_router).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ptsp.db_router.ReplicaRouter"]
REPORTS_FROM_REPLICA = "replica" in DATABASES
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

# --- Redis, cache, Celery ---------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, reusing one redis-py client (ptsp/cache.py).
            "BACKEND": "ptsp.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ptsp",
        }
    }
else:
    # A file cache is shared by web, worker and beat, which rate limits need.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Public pages for anonymous visitors come whole from this cache (ptsp.pagecache,
# docs/catalogue.md): seconds an entry lives (0: off; edits show at once anyway,
# a deploy's new templates within this time), and the max-age browsers and
# proxies are told (0: they ask again every time).
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=60)

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Exchange tables; kombu's default is ./control in the working directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # Redis redelivers unacknowledged tasks after this; the portal uses no long
    # countdowns (timers live in the database), so one hour is ample.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when the broker is down: fail fast, the
# outbox re-drive sends what was not handed over.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float(
    "CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0
)
CELERY_TASK_PUBLISH_RETRY = False
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int(
    "CELERY_WORKER_MAX_MEMORY_KB", default=400_000
)
# PDF rendering grows a child's heap (fonts, layout); recycle children after this
# many tasks too, so a long-running worker stays bounded (issue 14).
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int(
    "CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200
)
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Fixed schedules live here (no django-celery-beat); apps append their entries.
# Crontabs are in CELERY_TIMEZONE (WIB).
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Sends what the after-commit hand-off could not (broker down), retries that
    # are due and rows of dead workers. https://crontab.guru/#*_*_*_*_*
    "notifications-redrive": {
        "task": "notifications.tasks.notifications_redrive_task",
        "schedule": crontab(minute="*"),
    },
    # Seal committed audit entries into the hash chain: every minute.
    # https://crontab.guru/#*_*_*_*_*
    "audit-seal": {
        "task": "audit.tasks.audit_seal_task",
        "schedule": crontab(minute="*"),
    },
    # Sign the chain's head as the day's checkpoint: 00:05 WIB daily.
    # https://crontab.guru/#5_0_*_*_*
    "audit-checkpoint": {
        "task": "audit.tasks.audit_checkpoint_task",
        "schedule": crontab(minute=5, hour=0),
    },
    # Walk-in queue, end of day: tickets never called expire, unused bookings
    # become no-shows (days before today in WIB). https://crontab.guru/#5_0_*_*_*
    "queue-close-day": {
        "task": "queueing.tasks.queue_close_day_task",
        "schedule": crontab(minute=5, hour=0),
    },
    # Booking reminders, once per booking. https://crontab.guru/#*/15_*_*_*_*
    "queue-booking-reminders": {
        "task": "queueing.tasks.queue_booking_reminders_task",
        "schedule": crontab(minute="*/15"),
    },
    # Lapse applications whose applicant deadline passed: every 5 minutes.
    # https://crontab.guru/#*/5_*_*_*_*
    "permits-lapse-overdue": {
        "task": "permits.tasks.applications_lapse_overdue_task",
        "schedule": crontab(minute="*/5"),
    },
    # SLA warnings and breaches that came due (indexed next_check_at): every
    # minute. https://crontab.guru/#*_*_*_*_*
    "sla-sweep": {
        "task": "sla.tasks.sla_sweep_task",
        "schedule": crontab(minute="*"),
    },
    # Remind applicants as their revision deadline nears, once per deadline.
    # https://crontab.guru/#*/15_*_*_*_*
    "permits-remind-deadline": {
        "task": "permits.tasks.applications_remind_deadline_task",
        "schedule": crontab(minute="*/15"),
    },
    # Ask BPJS about corrections handed over and not answered yet, and resend
    # those that could not be sent: every 5 minutes. https://crontab.guru/#*/5_*_*_*_*
    "channeling-bpjs-poll": {
        "task": "channeling.tasks.bpjs_handovers_poll_task",
        "schedule": crontab(minute="*/5"),
    },
    # Expire unpaid bills past their due time: every 5 minutes.
    # https://crontab.guru/#*/5_*_*_*_*
    "payments-expire-bills": {
        "task": "payments.tasks.bills_expire_task",
        "schedule": crontab(minute="*/5"),
    },
    # Cancel open bills of applications that ended unpaid (withdrawn, lapsed).
    # https://crontab.guru/#*/5_*_*_*_*
    "payments-cancel-orphaned-bills": {
        "task": "payments.tasks.bills_cancel_orphaned_task",
        "schedule": crontab(minute="*/5"),
    },
    # Issued documents still waiting for their PDF (broker down at commit):
    # every 5 minutes. https://crontab.guru/#*/5_*_*_*_*
    "documents-render-pending": {
        "task": "documents.tasks.documents_render_pending_task",
        "schedule": crontab(minute="*/5"),
    },
    # Renewal reminders of permits about to expire: 07:00 WIB daily.
    # https://crontab.guru/#0_7_*_*_*
    "documents-renewal-reminders": {
        "task": "documents.tasks.documents_renewal_reminders_task",
        "schedule": crontab(minute=0, hour=7),
    },
    # Transparency dashboard figures, rebuilt set-based every 15 minutes.
    # https://crontab.guru/#*/15_*_*_*_*
    "transparency-stats-refresh": {
        "task": "transparency.tasks.stats_refresh_task",
        "schedule": crontab(minute="*/15"),
    },
    # Satisfaction survey invitations after outcomes and queue visits.
    # https://crontab.guru/#*/5_*_*_*_*
    "transparency-survey-invitations": {
        "task": "transparency.tasks.survey_invitations_task",
        "schedule": crontab(minute="*/5"),
    },
    # Complaints past their answer deadline: the agency's heads are told once.
    # https://crontab.guru/#*/15_*_*_*_*
    "transparency-complaints-overdue": {
        "task": "transparency.tasks.complaints_overdue_task",
        "schedule": crontab(minute="*/15"),
    },
    # Forwarded complaints whose LAPOR! hand-over was lost (broker down, or
    # retries used up): enqueued again. https://crontab.guru/#*/15_*_*_*_*
    "transparency-complaints-lapor-redrive": {
        "task": "transparency.tasks.complaints_lapor_redrive_task",
        "schedule": crontab(minute="*/15"),
    },
    # The SP4N-LAPOR! status of handed-over complaints, polled back; a finished
    # report closes the complaint. https://crontab.guru/#7,37_*_*_*_*
    "transparency-complaints-lapor-poll": {
        "task": "transparency.tasks.complaints_lapor_poll_task",
        "schedule": crontab(minute="7,37"),
    },
}

# --- Issued documents (issue 14) -------------------------------------------------
# Signer class (documents.signing): LocalCASigner generates a development CA under
# DOCUMENTS_SIGNING_DIR; Pkcs12Signer signs with a PSrE certificate. Empty: unsigned.
DOCUMENTS_SIGNER = env("DOCUMENTS_SIGNER", default="documents.signing.LocalCASigner")
DOCUMENTS_SIGNING_DIR = env("DOCUMENTS_SIGNING_DIR", default=str(VAR_DIR / "signing"))
DOCUMENTS_SIGNING_PKCS12 = env("DOCUMENTS_SIGNING_PKCS12", default="")
DOCUMENTS_SIGNING_PKCS12_PASSPHRASE = env(
    "DOCUMENTS_SIGNING_PKCS12_PASSPHRASE", default=""
)
# PEM/DER files of the roots that verify our signatures (the PSrE's root CA).
DOCUMENTS_SIGNING_TRUST_ROOTS = env.list("DOCUMENTS_SIGNING_TRUST_ROOTS", default=[])
# RFC 3161 timestamp authority and long-term validation (PAdES-B-LT) for production.
DOCUMENTS_TSA_URL = env("DOCUMENTS_TSA_URL", default="")
DOCUMENTS_SIGNING_LTV = env.bool("DOCUMENTS_SIGNING_LTV", default=False)
# Public verification page: requests per IP (django-ratelimit rate syntax).
DOCUMENTS_VERIFY_RATE = env("DOCUMENTS_VERIFY_RATE", default="30/m")
# Calendar days before expiry when the holder is reminded to renew.
DOCUMENTS_RENEWAL_REMINDER_DAYS = env.int("DOCUMENTS_RENEWAL_REMINDER_DAYS", default=30)
DOCUMENTS_RENDER_GRACE_SECONDS = env.int("DOCUMENTS_RENDER_GRACE_SECONDS", default=120)
CELERY_BEAT_SCHEDULE |= {
    # Personal-data retention rules (privacy.retention): 01:30 WIB daily.
    # https://crontab.guru/#30_1_*_*_*
    "privacy-retention": {
        "task": "privacy.tasks.privacy_retention_task",
        "schedule": crontab(minute=30, hour=1),
    },
}

# --- Notifications (outbox) -------------------------------------------------------
# A worker's claim on a notification; must outlast one send (EMAIL_TIMEOUT).
NOTIFICATIONS_LEASE_SECONDS = env.int("NOTIFICATIONS_LEASE_SECONDS", default=120)
# Backoff after the n-th failure: base * 2**(n-1), capped; then permanent failure.
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int(
    "NOTIFICATIONS_RETRY_BASE_SECONDS", default=60
)
NOTIFICATIONS_RETRY_CAP_SECONDS = env.int(
    "NOTIFICATIONS_RETRY_CAP_SECONDS", default=3600
)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)
# The re-drive leaves alone a row published less than this ago (it is in a queue).
NOTIFICATIONS_REDRIVE_GRACE_SECONDS = env.int(
    "NOTIFICATIONS_REDRIVE_GRACE_SECONDS", default=120
)
NOTIFICATIONS_REDRIVE_BATCH = env.int("NOTIFICATIONS_REDRIVE_BATCH", default=500)
# After a failed publish, a process stops trying the broker for this long.
NOTIFICATIONS_PUBLISH_PAUSE_SECONDS = env.float(
    "NOTIFICATIONS_PUBLISH_PAUSE_SECONDS", default=15.0
)
NOTIFICATIONS_MAILER = env("NOTIFICATIONS_MAILER", default="default")
# Right-hand side of Message-IDs; default: the host of PORTAL_BASE_URL.
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env("NOTIFICATIONS_MESSAGE_ID_DOMAIN", default="")

# --- Walk-in queue (queueing) -----------------------------------------------------
# Key of the HMAC that replaces the NIK asked at the kiosk. Empty: derived from
# DJANGO_SECRET_KEY. Changing it only affects the same-day one-ticket rule.
QUEUE_NIK_HASH_KEY = env("QUEUE_NIK_HASH_KEY", default="")
# Tickets are issued from this many minutes before each opening until closing.
QUEUE_ISSUE_BEFORE_OPENING_MINUTES = env.int(
    "QUEUE_ISSUE_BEFORE_OPENING_MINUTES", default=30
)
# Recalls of a called ticket; the next recall marks it missed.
QUEUE_RECALL_LIMIT = env.int("QUEUE_RECALL_LIMIT", default=2)
# An account is notified when at most this many tickets are before its own.
QUEUE_TURN_NEAR_AHEAD = env.int("QUEUE_TURN_NEAR_AHEAD", default=3)
# A booked visitor is called first from this long before the slot to this long
# after it; check-in closes at the end of that window.
QUEUE_BOOKING_GRACE_MINUTES = env.int("QUEUE_BOOKING_GRACE_MINUTES", default=15)
QUEUE_BOOKING_DAYS_AHEAD = env.int("QUEUE_BOOKING_DAYS_AHEAD", default=14)
QUEUE_BOOKING_REMINDER_HOURS = env.int("QUEUE_BOOKING_REMINDER_HOURS", default=24)
# Networks (CIDR) from which the public kiosk may issue tickets; empty: anywhere.
QUEUE_KIOSK_NETWORKS = env.list("QUEUE_KIOSK_NETWORKS", default=[])
# --- SMS and WhatsApp gateways (notifications.gateways) ----------------------------
# One adapter per channel; empty URL: the channel is off (its messages fall back).
_GENERIC_GATEWAY = "notifications.gateways.GenericJsonGateway"
NOTIFICATIONS_GATEWAYS = {
    channel: {
        "ADAPTER": env(f"NOTIFICATIONS_{prefix}_ADAPTER", default=_GENERIC_GATEWAY),
        "URL": env(f"NOTIFICATIONS_{prefix}_URL", default=""),
        "TOKEN": env(f"NOTIFICATIONS_{prefix}_TOKEN", default=""),
        # Comma-separated: the new and the old secret while rotating.
        "CALLBACK_SECRETS": env.list(
            f"NOTIFICATIONS_{prefix}_CALLBACK_SECRETS", default=[]
        ),
        "SENDER": env(f"NOTIFICATIONS_{prefix}_SENDER", default=sender),
    }
    for channel, prefix, sender in (
        ("sms", "SMS", "PTSP TNG"),
        ("whatsapp", "WHATSAPP", ""),
    )
}
# Seconds for a gateway's whole answer (connect at most 5); under the lease.
NOTIFICATIONS_GATEWAY_TIMEOUT = env.float("NOTIFICATIONS_GATEWAY_TIMEOUT", default=10.0)
# A signed callback older or newer than this is refused as a replay (seconds).
NOTIFICATIONS_CALLBACK_TOLERANCE_SECONDS = env.int(
    "NOTIFICATIONS_CALLBACK_TOLERANCE_SECONDS", default=300
)
# Quiet hours in WIB, "HH:MM-HH:MM" (empty: off), for these channels.
NOTIFICATIONS_QUIET_HOURS = env("NOTIFICATIONS_QUIET_HOURS", default="21:00-06:00")
NOTIFICATIONS_QUIET_CHANNELS = env.list(
    "NOTIFICATIONS_QUIET_CHANNELS", default=["sms", "whatsapp"]
)
# Phone verification codes (sent by SMS).
NOTIFICATIONS_PHONE_CODE_VALID_MINUTES = env.int(
    "NOTIFICATIONS_PHONE_CODE_VALID_MINUTES", default=10
)
NOTIFICATIONS_PHONE_CODE_MAX_ATTEMPTS = env.int(
    "NOTIFICATIONS_PHONE_CODE_MAX_ATTEMPTS", default=5
)
NOTIFICATIONS_PHONE_CODE_RESEND_SECONDS = env.int(
    "NOTIFICATIONS_PHONE_CODE_RESEND_SECONDS", default=60
)
NOTIFICATIONS_PHONE_CODE_MAX_PER_HOUR = env.int(
    "NOTIFICATIONS_PHONE_CODE_MAX_PER_HOUR", default=5
)

# --- Auth -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# django-axes first (refuses a locked-out login before any password is checked);
# then e-mail, phone number or username with the password (accounts.backends).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.IdentifierBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        )
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes, database handler: works on SQLite and PostgreSQL,
# and lockouts are visible in the admin). A username tried from one address is
# locked after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
# Successful logins are not logged by axes (the audit trail records them).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Two-factor login (TOTP, django-otp) for staff: officers, auditors, admins.
PTSP_STAFF_2FA_REQUIRED = env.bool("PTSP_STAFF_2FA_REQUIRED", default=True)
# Staff sessions end after this many idle minutes, and this many hours after login.
PTSP_STAFF_IDLE_MINUTES = env.int("PTSP_STAFF_IDLE_MINUTES", default=30)
PTSP_STAFF_MAX_SESSION_HOURS = env.int("PTSP_STAFF_MAX_SESSION_HOURS", default=10)
OTP_TOTP_ISSUER = "PTSP Kota Tangerang"
# One-time codes (e-mail/SMS verification, password reset): lifetime, wrong tries
# per code, seconds between two sends, sends per hour per purpose.
PTSP_OTP_VALID_MINUTES = env.int("PTSP_OTP_VALID_MINUTES", default=10)
PTSP_OTP_MAX_ATTEMPTS = env.int("PTSP_OTP_MAX_ATTEMPTS", default=5)
PTSP_OTP_RESEND_SECONDS = env.int("PTSP_OTP_RESEND_SECONDS", default=60)
PTSP_OTP_MAX_PER_HOUR = env.int("PTSP_OTP_MAX_PER_HOUR", default=5)

# --- Service points and BPJS (channeling, docs/channeling.md) ----------------------
# Calendar days during which an account made at a counter can be claimed with the
# confirmation code.
CHANNELING_CLAIM_DAYS = env.int("CHANNELING_CLAIM_DAYS", default=30)
# BPJS hand-over adapters by agency code (docs/bpjs-adapter.md); without one the
# officer records BPJS's reference by hand.
CHANNELING_BPJS_ADAPTERS: dict[str, dict] = {
    code: {
        "ADAPTER": "channeling.bpjs.HttpJsonBpjsAdapter",
        "URL": env.str(f"CHANNELING_{code}_URL"),
        "TOKEN": env.str(f"CHANNELING_{code}_TOKEN", default=""),
    }
    for code in ("BPJSKES", "BPJSTK")
    if env.str(f"CHANNELING_{code}_URL", default="")
}
CHANNELING_BPJS_TIMEOUT = env.float("CHANNELING_BPJS_TIMEOUT", default=10.0)
# Staff invitations (set-password links) stay valid this long.
PASSWORD_RESET_TIMEOUT = env.int("PTSP_INVITATION_HOURS", default=72) * 3600

# --- I18N / time ------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
# Our catalogues take precedence over Django's (e.g. its unique-check message and
# the admin's time-zone note, both missing or poor in Django's Indonesian).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Times as HH:MM (08:00) in both languages, not Django's Indonesian "08.00.00".
FORMAT_MODULE_PATH = ["ptsp.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- Audit trail -----------------------------------------------------------------
# Ed25519 key signing the daily checkpoints: PEM or base64 of the raw 32 bytes
# (`manage.py audit_keygen`). Required in production; dev generates one under var/.
AUDIT_SIGNING_KEY = env("AUDIT_SIGNING_KEY", default="")
AUDIT_SIGNING_KEY_FILE = ""
# Public keys (base64) of earlier signing keys, still trusted after a rotation.
AUDIT_TRUSTED_PUBLIC_KEYS = env.list("AUDIT_TRUSTED_PUBLIC_KEYS", default=[])

# Auditor workspace: rows per page of the trail (keyset pages, no counts).
AUDITOR_PAGE_SIZE = env.int("AUDITOR_PAGE_SIZE", default=50)

# --- Personal data (privacy) -------------------------------------------------------
# Staff access log kept this many calendar days (privacy.retention documents why).
PRIVACY_ACCESS_LOG_DAYS = env.int("PRIVACY_ACCESS_LOG_DAYS", default=730)
# Texts of final notifications blanked after this many calendar days.
PRIVACY_NOTIFICATION_BODY_DAYS = env.int("PRIVACY_NOTIFICATION_BODY_DAYS", default=90)

# `manage.py generate_data` (benchmarks) writes fake audit entries that can never
# be removed: only dev, test and the benchmark settings turn it on.
DATA_GENERATOR_ENABLED = False

# --- Static and media -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are private: never under STATIC_ROOT, never served by the web server;
# views stream them as attachments after an authorization check.
MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------
# Django 6.1 ``MAILERS`` (the EMAIL_* settings are deprecated). "default" is SMTP.
MAILERS = {
    "default": {
        "BACKEND": env(
            "DJANGO_EMAIL_BACKEND",
            default="django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {},
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env("EMAIL_HOST_USER", default=""),
        "password": env("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        "timeout": env.int("EMAIL_TIMEOUT", default=10),
    }
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="PTSP Kota Tangerang <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security defaults (production hardens further) -------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "ptsp.views.csrf_failure"
# Everything is served from our own origin: no CDN, no inline script without nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- REST framework ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ptsp.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    # The docs page loads Redoc from our static files, never a CDN.
    "REDOC_DIST": "SIDECAR",
    "TITLE": "PTSP Kota Tangerang API",
    "DESCRIPTION": (
        "Katalog layanan, permohonan, antrean. Semua waktu dalam UTC (ISO 8601)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "ServiceCategoryEnum": "agencies.choices.ServiceCategory",
        "HolidayCategoryEnum": "agencies.choices.HolidayCategory",
        "TicketStatusEnum": "queueing.choices.TicketStatus",
        "BookingStatusEnum": "queueing.choices.BookingStatus",
        "ApplicationStatusEnum": "permits.choices.ApplicationStatus",
        "StepStatusEnum": "permits.choices.StepStatus",
        "StepKindEnum": "agencies.choices.StepKind",
        "ComplaintStatusEnum": "transparency.choices.ComplaintStatus",
        "ComplaintSubjectEnum": "transparency.choices.ComplaintSubject",
        "SurveySourceEnum": "transparency.choices.SurveySource",
        "BillStatusEnum": "payments.choices.BillStatus",
        "RefundStatusEnum": "payments.choices.RefundStatus",
        "FeeRuleKindEnum": "payments.choices.FeeRuleKind",
        "FeeRuleStatusEnum": "payments.choices.RuleStatus",
        "AssistedStatusEnum": "channeling.choices.AssistedStatus",
    },
}

# --- Logging ----------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ptsp.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; lockouts are warnings.
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Applications (permits) ---------------------------------------------------------
# Largest accepted upload, in bytes (PDF, JPEG, PNG; type sniffed from content).
PERMITS_MAX_UPLOAD_BYTES = env.int("PERMITS_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# Default applicant deadline for a revision, in calendar days.
PERMITS_REVISION_DAYS = env.int("PERMITS_REVISION_DAYS", default=14)
# The applicant is reminded once this many calendar hours before that deadline.
PERMITS_DEADLINE_REMINDER_HOURS = env.int("PERMITS_DEADLINE_REMINDER_HOURS", default=48)
# Period to object to a rejection, in calendar days from the decision.
PERMITS_OBJECTION_DAYS = env.int("PERMITS_OBJECTION_DAYS", default=14)

# --- Officer workspace (issue 7) ------------------------------------------------------
# Queue counts stop at this many rows and show "500+" (no scan of a large table).
WORKSPACE_COUNT_CAP = env.int("WORKSPACE_COUNT_CAP", default=500)
# Rows per queue page (HTML and API).
WORKSPACE_PAGE_SIZE = env.int("WORKSPACE_PAGE_SIZE", default=50)
# "Due soon": the step's deadline falls within this many calendar hours.
WORKSPACE_DUE_SOON_HOURS = env.int("WORKSPACE_DUE_SOON_HOURS", default=24)
# Document viewer: most pages rendered per document, and their width in pixels.
WORKSPACE_VIEWER_MAX_PAGES = env.int("WORKSPACE_VIEWER_MAX_PAGES", default=30)
WORKSPACE_VIEWER_WIDTH = env.int("WORKSPACE_VIEWER_WIDTH", default=1000)
# --- Fees and payments (payments) ---------------------------------------------------
# Adapter of the payment gateway (docs/payments.md) and the shared HMAC secret of
# its signed callbacks; no default: without a secret every callback is refused.
PAYMENTS_GATEWAY = env(
    "PAYMENTS_GATEWAY", default="payments.gateways.protocol.GenericHmacGateway"
)
PAYMENTS_GATEWAY_SECRET = env("PAYMENTS_GATEWAY_SECRET", default="")
# Where citizens pay online (the gateway's pay page); empty: at a bank or teller.
PAYMENTS_GATEWAY_PAY_URL = env("PAYMENTS_GATEWAY_PAY_URL", default="")
# A signed message older or newer than this many seconds is refused.
PAYMENTS_CALLBACK_TOLERANCE_SECONDS = env.int(
    "PAYMENTS_CALLBACK_TOLERANCE_SECONDS", default=300
)
# How long a bill (SKRD) can be paid, in calendar hours from its issue.
PAYMENTS_BILL_VALID_HOURS = env.int("PAYMENTS_BILL_VALID_HOURS", default=7 * 24)

# Transparency, satisfaction survey and complaints (issue 16, docs/transparency.md).
# Months of history the dashboard's aggregates keep.
TRANSPARENCY_STATS_MONTHS = env.int("TRANSPARENCY_STATS_MONTHS", default=24)
# Outcomes and visits older than this many days get no survey invitation.
TRANSPARENCY_SURVEY_LOOKBACK_DAYS = env.int(
    "TRANSPARENCY_SURVEY_LOOKBACK_DAYS", default=14
)
# Complaint answer deadline in working days (SP4N-LAPOR! guideline: information
# requests and complaints answered within 5 working days).
TRANSPARENCY_COMPLAINT_WORKING_DAYS = env.int(
    "TRANSPARENCY_COMPLAINT_WORKING_DAYS", default=5
)
# At most this many complaints per citizen in 24 hours.
TRANSPARENCY_COMPLAINTS_PER_DAY = env.int("TRANSPARENCY_COMPLAINTS_PER_DAY", default=5)
# Agency that receives complaints about offices no agency runs (the MPP).
TRANSPARENCY_DEFAULT_AGENCY = env("TRANSPARENCY_DEFAULT_AGENCY", default="DPMPTSP")
# SP4N-LAPOR! integration endpoint and token (empty: hand-over retried later).
LAPOR_BASE_URL = env("LAPOR_BASE_URL", default="")
LAPOR_TOKEN = env("LAPOR_TOKEN", default="")
