from django.urls import include, path
from django.views.i18n import set_language

from trustbox.core.health import health
from trustbox.metrics.views import metrics

urlpatterns = [
    path("", include("trustbox.core.urls")),
    path("language/", set_language, name="set_language"),
    path("health/", health, name="health"),
    path("metrics", metrics, name="metrics"),
    path("accounts/", include("trustbox.accounts.urls")),
    path("s/<slug:school>/", include("trustbox.schools.urls")),
    path("s/<slug:school>/commission/", include("trustbox.commission.urls")),
    path("s/<slug:school>/seal/", include("trustbox.seal.urls")),
    path("s/<slug:school>/box/", include("trustbox.box.staff_urls")),
    path("s/<slug:school>/openings/", include("trustbox.openings.urls")),
    path("s/<slug:school>/registry/", include("trustbox.registry.urls")),
    path("s/<slug:school>/audit/", include("trustbox.audit.urls")),
    path("s/<slug:school>/meetings/", include("trustbox.meetings.urls")),
    path("s/<slug:school>/compliance/", include("trustbox.compliance.urls")),
    path("s/<slug:school>/retention/", include("trustbox.retention.urls")),
    path("v/", include("trustbox.meetings.verify_urls")),
    path("s/<slug:school>/reports/", include("trustbox.reports.urls")),
    path("", include("trustbox.reports.analytics_urls")),
    path("b/<slug:school>/", include("trustbox.public.urls")),
]
