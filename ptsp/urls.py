"""Root URLconf. Apps add their own ``urls.py`` here as they gain pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override

from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from accounts.language import language_set

from . import views

# Redoc styles itself with inline <style> tags and searches in a blob: worker;
# only this page relaxes the policy for those, scripts stay 'self' only.
api_docs = csp_override(
    {
        **settings.SECURE_CSP,
        "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        "worker-src": [CSP.SELF, "blob:"],
    }
)(SpectacularRedocView.as_view(url_name="api:schema"))

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("agencies.api.urls")),
    path("", include("permits.api.urls")),
    path("", include("channeling.api.urls")),
    path("", include("documents.api.urls")),
    path("", include("queueing.api.urls")),
    path("", include("audit.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("sla.api.urls")),
    path("", include("workspace.api.urls")),
    path("", include("payments.api.urls")),
    path("", include("auditor.api.urls")),
    path("", include("privacy.api.urls")),
    path("", include("transparency.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Before Django's own: also stores a logged-in user's choice (issue 18).
    path("i18n/setlang/", language_set, name="set_language"),
    # Browsers ask for /favicon.ico whatever the page declares: send the site icon.
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("accounts.urls")),
    path("", include("agencies.urls")),
    path("permohonan/", include("permits.urls")),
    path("", include("channeling.urls")),
    path("antrian/", include("queueing.urls")),
    path("audit/", include("audit.urls")),
    path("auditor/", include("auditor.urls")),
    path("privasi/", include("privacy.urls")),
    path("notifikasi/", include("notifications.urls")),
    path("ruang-kerja/", include("workspace.urls")),
    path("pembayaran/", include("payments.urls")),
    path("", include("documents.urls")),
    path("transparansi/", include("transparency.urls")),
    path("webhooks/", include("notifications.webhook_urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("admin/", admin.site.urls),
]

handler404 = "ptsp.views.error_404"
handler403 = "ptsp.views.error_403"
handler500 = "ptsp.views.error_500"
