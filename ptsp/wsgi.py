"""WSGI entry point (gunicorn ``ptsp.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptsp.settings.production")
application = get_wsgi_application()
