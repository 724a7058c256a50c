"""Deployment artefacts: production settings pass ``check --deploy``; the compose file
(which cannot run here: no Docker engine) has the production shape."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _check_deploy(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "AUDIT_")
        )
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ptsp.settings.production",
            "DJANGO_SECRET_KEY": "k" * 20 + "Zq8!v#2Lm@9Pw$4Rt^6Yx&1Bn*3Hd(5Jf)7Gs" * 2,
            "DJANGO_ALLOWED_HOSTS": "ptsp.tangerangkota.example",
            "DATABASE_URL": "postgres://ptsp@db.invalid/ptsp",
            # base64 of 32 raw bytes: an Ed25519 key for the audit checkpoints.
            "AUDIT_SIGNING_KEY": "cHJvZHVjdGlvbi1zaGFwZWQtdGVzdC1rZXktMzJieXQ=",
            **extra_env,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    """Only the HSTS-preload warning is silenced (with its reason in production.py)."""
    result = _check_deploy({"REDIS_URL": "redis://redis.invalid:6379/0"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_check_deploy_refuses_embedded_broker():
    result = _check_deploy({})
    assert result.returncode != 0
    assert "ptsp.E001" in result.stderr + result.stdout


def test_production_settings_need_a_secret_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "ptsp.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services(compose):
    services = compose["services"]
    assert {"proxy", "web", "worker", "beat", "db", "redis"} <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"


def test_compose_web_runs_gunicorn_sync_workers(compose):
    command = " ".join(compose["services"]["web"]["command"])
    assert "gunicorn" in command
    assert "--worker-class sync" in command
    assert "ptsp.wsgi" in command


def test_compose_runs_exactly_one_beat(compose):
    beat = compose["services"]["beat"]
    assert "celery" in " ".join(beat["command"])
    assert " beat" in " ".join(beat["command"])
    assert beat.get("deploy", {}).get("replicas", 1) == 1


def test_compose_redis_never_evicts_and_postgres_persists(compose):
    redis_cmd = " ".join(compose["services"]["redis"]["command"])
    assert "--maxmemory-policy noeviction" in redis_cmd
    db_volumes = compose["services"]["db"]["volumes"]
    assert any("/var/lib/postgresql/data" in v for v in db_volumes)
    assert set(compose["volumes"]) >= {"pgdata", "media"}


def test_compose_proxy_terminates_tls(compose):
    proxy = compose["services"]["proxy"]
    assert "caddy" in proxy["image"]
    assert any(p.startswith("443:") for p in proxy["ports"])
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile


def test_compose_has_a_streaming_read_replica(compose):
    """The replica is a hot standby of ``db``; the app reads reports there."""
    replica = compose["services"]["db-replica"]
    assert replica["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_is_in_recovery" in " ".join(replica["healthcheck"]["test"])
    script = (ROOT / "deploy" / "postgres" / "replica-entrypoint.sh").read_text()
    assert "pg_basebackup -h db" in script
    assert " -R " in script
    environment = compose["services"]["web"]["environment"]
    assert "@db-replica:5432/" in environment["DATABASE_REPLICA_URL"]
    assert "pgreplica" in compose["volumes"]
