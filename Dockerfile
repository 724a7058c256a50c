# Production image for web, worker and beat (one image, three commands).
FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=ptsp.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
        gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 ptsp
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY --chown=ptsp:ptsp . .
# Build-time only values: collectstatic and compilemessages need settings to load.
# AUDIT_SIGNING_KEY here is a public placeholder; the real key comes from .env.
RUN DJANGO_SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        REDIS_URL=redis://localhost:6379/0 AUDIT_SIGNING_KEY=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQta2V5LTMyYnk= \
        python manage.py collectstatic --no-input -v 0 \
    && DJANGO_SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        AUDIT_SIGNING_KEY=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQta2V5LTMyYnk= \
        python manage.py compilemessages -v 0 --ignore=.venv
USER ptsp
EXPOSE 8000
CMD ["gunicorn", "ptsp.wsgi", "--bind", "0.0.0.0:8000", "--worker-class", "sync"]
