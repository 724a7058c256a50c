"""API routes of this app (mounted under /api/v1/)."""

app_name = "permits-api"
urlpatterns: list = []
