"""Management commands and beat tasks of the audit trail."""

import json

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
from celery.schedules import crontab

from audit.models import AuditCheckpoint, AuditSeal
from audit.signing import parse_private_key, public_key_b64
from audit.tasks import audit_checkpoint_task, audit_seal_task

from .conftest import seal_all, tampering, write_entries

pytestmark = pytest.mark.django_db(transaction=True)


def test_seal_and_checkpoint_tasks_are_scheduled_and_safe_to_run_twice():
    schedule = {
        e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule["audit.tasks.audit_seal_task"] == crontab(minute="*")
    assert schedule["audit.tasks.audit_checkpoint_task"] == crontab(minute=5, hour=0)
    write_entries(4)
    first = audit_seal_task()
    seal_all()  # other sessions on the server may hold the sealer back a moment
    assert first <= 4
    assert audit_seal_task() == 0
    number = audit_checkpoint_task()
    assert audit_checkpoint_task() == number  # nothing new: same checkpoint
    assert AuditSeal.objects.count() == 4
    assert AuditCheckpoint.objects.get().seq == 4


def test_verify_command_reports_intact_and_broken_chains(capsys, tmp_path):
    entries = write_entries(6)
    seal_all()
    call_command("audit_checkpoint")
    published = tmp_path / "checkpoints.jsonl"
    call_command("audit_checkpoint", "--all", stdout=published.open("w"))
    call_command("audit_verify", "--published", str(published))
    out = capsys.readouterr().out
    assert "Checked 6 entries" in out
    assert "entries/s" in out
    assert "The audit trail is intact." in out

    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET reason = 'edited' WHERE id = %s",
            [entries[3].pk],
        )
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert excinfo.value.returncode == 1
    err = capsys.readouterr().err
    assert f"First broken entry: id {entries[3].pk} (seal #4)." in err


def test_checkpoint_command_prints_what_to_publish(capsys):
    write_entries(2)
    seal_all()
    call_command("audit_checkpoint")
    made = json.loads(capsys.readouterr().out)
    assert (made["number"], made["seq"], made["algorithm"]) == (1, 2, "Ed25519")
    call_command("audit_checkpoint", "--show")
    assert json.loads(capsys.readouterr().out) == made


def test_keygen_prints_a_usable_key(capsys):
    call_command("audit_keygen")
    out = capsys.readouterr().out
    pem = out.split("# public key")[0]
    key = parse_private_key(pem)
    assert public_key_b64(key.public_key()) in out
