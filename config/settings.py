"""Guichet settings: one module, every value from the environment (see .env.example).

Defaults are safe for production; `DEBUG=true` (what `make run` sets) turns on the conveniences
of the embedded demo: a development secret key, SQLite, and the development mailbox.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env is read if present; real environment variables always win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="dev-only-insecure-key-never-use-in-production-0123456789"
    )
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Set SECRET_KEY (50+ random characters) when DEBUG is off.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "guichet.accounts.admin_apps.GuichetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "guichet.core",
    "guichet.organisations",
    "guichet.accounts",
    "guichet.audit",
    "guichet.numbering",
    "guichet.clients",
    "guichet.appointments",
    "guichet.messaging",
    "guichet.documents",
    "guichet.payments",
    "guichet.testbank",
    "guichet.dossiers",
    "guichet.employers",
    "guichet.intake",
    "guichet.waitingroom",
    "guichet.commitments",
    "guichet.complaints",
    "guichet.backoffice",
    "guichet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "guichet.core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A NUL character in a path, a parameter or a field: 400 before any view reads it.
    "guichet.core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Deny by default: a view that does not declare who may use it is refused.
    "guichet.accounts.access.AccessPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "guichet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.core.context_processors.site",
                "guichet.messaging.context_processors.unread_messages",
            ],
        },
    }
]
FORM_RENDERER = "guichet.core.forms.GuichetFormRenderer"

# --- Data -----------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the embedded demo serve a page while a task writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis, with the database cache table behind it when Redis cannot be reached
    # (guichet.core.cache): every page keeps working with Redis down.
    CACHES = {
        "default": {
            "BACKEND": "guichet.core.cache.FallbackCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="guichet"),
            "OPTIONS": {"FALLBACK": "fallback"},
        },
        "fallback": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "guichet_cache",
        },
    }
else:
    # Shared between processes (throttles, later the waiting room), with no extra service.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "guichet_cache",
        }
    }

# --- Background tasks (Django Tasks API) ------------------------------------------------------
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}
# At least once (core.tasks): a task running longer than this lost its worker and is taken
# again; a failed one is tried again with a growing wait, this many times in all.
TASK_RECLAIM_SECONDS = env.int("TASK_RECLAIM_SECONDS", default=300)
TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=5)
TASK_RECOVERY_SECONDS = env.int("TASK_RECOVERY_SECONDS", default=30)

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guichet.accounts.backends.TemporaryPasswordBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Named credential policies per kind of account (guichet/accounts/policies.py, ADR 0006):
# "micc" (seed 000), "gckey" (seed 004) or "modern" (NIST SP 800-63B rev. 4).
PASSWORD_POLICIES = {
    "client": env.str("PASSWORD_POLICY_CLIENT", default="micc"),
    "employer": env.str("PASSWORD_POLICY_EMPLOYER", default="gckey"),
    "staff": env.str("PASSWORD_POLICY_STAFF", default="modern"),
}
# Django's own validators (admin password forms) follow the same policy as the account.
AUTH_PASSWORD_VALIDATORS = [{"NAME": "guichet.accounts.policies.AccountPolicyValidator"}]

# Locks after repeated failures (login, recovery, authorization code): seed 000 §4.3.
LOCKOUT_MAX_FAILURES = env.int("LOCKOUT_MAX_FAILURES", default=5)
# Per address the threshold is higher: many people share one address behind an office's NAT.
LOCKOUT_MAX_FAILURES_PER_IP = env.int("LOCKOUT_MAX_FAILURES_PER_IP", default=20)
LOCKOUT_WINDOW_SECONDS = env.int("LOCKOUT_WINDOW_SECONDS", default=15 * 60)
LOCKOUT_SECONDS = env.int("LOCKOUT_SECONDS", default=30 * 60)
TEMPORARY_PASSWORD_HOURS = env.int("TEMPORARY_PASSWORD_HOURS", default=24)
# Profiles created from one address (an office's shared address needs a few), and from one email
# domain in a short burst (15 profiles in 41 s was an attack on an intake opening).
PROFILES_PER_IP = env.int("PROFILES_PER_IP", default=5)
PROFILES_PER_IP_SECONDS = env.int("PROFILES_PER_IP_SECONDS", default=3600)
PROFILES_PER_DOMAIN = env.int("PROFILES_PER_DOMAIN", default=30)
PROFILES_PER_DOMAIN_SECONDS = env.int("PROFILES_PER_DOMAIN_SECONDS", default=60)
# The kinds of account that answer a security question after the password (seed 004 §I).
SIGN_IN_QUESTION_KINDS = frozenset(env.list("SIGN_IN_QUESTION_KINDS", default=["employer"]))
AUTHORIZATION_CODE_DAYS = env.int("AUTHORIZATION_CODE_DAYS", default=30)

# Appointments (SPEC C10): reminder lead time, waitlist hold; SITE_URL builds links in emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
APPOINTMENT_REMINDER_HOURS = env.int("APPOINTMENT_REMINDER_HOURS", default=48)
WAITLIST_HOLD_HOURS = env.int("WAITLIST_HOLD_HOURS", default=24)
# Dossiers (issue 6): days before the submission deadline when a draft's owner is warned, and the
# service level for sending the first-appointment details after a submission.
DOSSIER_DRAFT_WARNING_DAYS = env.list("DOSSIER_DRAFT_WARNING_DAYS", cast=int, default=[14, 2])
# The waiting room's admissions: a page runs a round of the controller (at most every two
# seconds per room) when no controller process runs (`manage.py run_waiting_room --loop`).
WAITING_ROOM_ADMIT_ON_POLL = env.bool("WAITING_ROOM_ADMIT_ON_POLL", default=True)

# Payments (issue 15): the provider of the hosted payment page. « Banque d'essai » is the test
# provider shipped with Guichet: it answers only while DEBUG unless TESTBANK_ENABLED says so,
# at TESTBANK_URL (this site by default, or its own process on another port).
# Outside DEBUG no provider is assumed: PAYMENT_PROVIDER must name one, and the test bank's
# demo key and secret (public, in this file) stop the site from starting (payments.E001).
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="banque_essai" if DEBUG else "")
TESTBANK_ENABLED = env.bool("TESTBANK_ENABLED", default=DEBUG)
TESTBANK_URL = env.str("TESTBANK_URL", default=f"{SITE_URL}/banque-essai").rstrip("/")
TESTBANK_DEMO_API_KEY = "banque-essai-cle-de-demo"
TESTBANK_DEMO_SECRET = "banque-essai-secret-de-demo"  # noqa: S105 - the demo's, refused outside DEBUG
# The demo's key and secret are the defaults only while DEBUG; otherwise they must be given.
TESTBANK_API_KEY = env.str("TESTBANK_API_KEY", default=TESTBANK_DEMO_API_KEY if DEBUG else "")
TESTBANK_SECRET = env.str("TESTBANK_SECRET", default=TESTBANK_DEMO_SECRET if DEBUG else "")
# Where mail-in payments go (seed 002 FAQ 20), printed on the slip; lines separated by « | ».
PAYMENT_MAIL_ADDRESS = env.str(
    "PAYMENT_MAIL_ADDRESS",
    default="Ministère de l'Immigration, de la Francisation et de l'Intégration|"
    "Service des paiements|C. P. 1000, succursale Place-d'Armes|Montréal (Québec)  H2Y 3X4",
).split("|")
# The « delayed notification » card: seconds before the bank notifies.
TESTBANK_NOTIFY_DELAY = env.int("TESTBANK_NOTIFY_DELAY", default=30)

# Complaints (seed 003, issue 30): how many one address, one email or one account may send, and
# for how long the follow-up link sent by email works (a fresh one can be asked for). A message
# sent without an account whose email is never confirmed is deleted after so many days.
COMPLAINTS_PER_IP = env.int("COMPLAINTS_PER_IP", default=5)
COMPLAINTS_PER_IP_SECONDS = env.int("COMPLAINTS_PER_IP_SECONDS", default=3600)
COMPLAINTS_PER_SENDER = env.int("COMPLAINTS_PER_SENDER", default=3)
COMPLAINTS_PER_SENDER_SECONDS = env.int("COMPLAINTS_PER_SENDER_SECONDS", default=24 * 3600)
COMPLAINT_LINK_DAYS = env.int("COMPLAINT_LINK_DAYS", default=30)
COMPLAINT_UNCONFIRMED_DAYS = env.int("COMPLAINT_UNCONFIRMED_DAYS", default=7)

# Sessions idle out after 20 minutes (seed 000; SPEC A4): every request pushes the expiry.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=20 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# How many reverse proxies (the TLS proxy, a load balancer) stand between the clients and Guichet,
# each appending the address it saw to X-Forwarded-For. The client's own address is the one the
# outermost trusted proxy saw; 0 means clients connect directly (REMOTE_ADDR). Locks and
# throttles per address use it, so a proxy's own address never locks everybody out.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Content Security Policy: no inline script or style anywhere, only our own files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="America/Montreal")
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "guichet" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_MIMETYPES = {".wav": "audio/wav"}

# --- Email ----------------------------------------------------------------------------------
# Unset: every message is written to var/mail/ and listed on the development mailbox page.
EMAIL_URL = env.str("EMAIL_URL", default="")
MAIL_DIR = Path(env.str("MAIL_DIR", default=str(VAR_DIR / "mail")))
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "guichet.core.mail.MailDirBackend"
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Guichet <ne-pas-repondre@guichet.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging: no personal data; records carry ids, never names, emails or answers -----------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- Guichet ---------------------------------------------------------------------------------
GUICHET = {
    # Contact centre (seed 000, §4.2 to 4.3): shown on the contact page and the lock screen.
    "CONTACT_PHONES": [
        (_("Région de Montréal"), "514 864-9191"),
        (_("Ailleurs au Québec (sans frais)"), "1 877 864-9191"),
        (_("De l'extérieur du Québec"), "+1 514 864-9191"),
    ],
    "TTY_PHONES": [
        (_("Région de Montréal"), "514 864-8158"),
        (_("Ailleurs au Québec (sans frais)"), "1 866 227-5968"),
    ],
}
