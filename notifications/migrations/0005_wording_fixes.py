"""Stored templates that still hold an old default get the new one: the
one-time code is no longer in the e-mail subject (subjects show in lock-screen
previews and mailbox lists), and "antrean" is spelt as in KBBI. Templates an
admin edited are left alone."""

from django.db import migrations

CHANGES = [
    # (event, field, old default, new default)
    ("account.otp", "subject", "Kode sekali pakai PTSP: {{ code }}", "Kode sekali pakai PTSP"),
    ("account.otp", "subject", "PTSP one-time code: {{ code }}", "PTSP one-time code"),
    (
        "queue.ticket_called",
        "body",
        "Nomor antrian {{ ticket_number }} dipanggil ke {{ counter }}, {{ office }}.",
        "Nomor antrean {{ ticket_number }} dipanggil ke {{ counter }}, {{ office }}.",
    ),
]


def forward(apps, schema_editor, *, reverse=False):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, field, old, new in CHANGES:
        if reverse:
            old, new = new, old
        # Plain update: historical models have the default manager, and these
        # rows hold the shipped defaults only (no one's edit is touched).
        NotificationTemplate.objects.filter(event=event, **{field: old}).update(
            **{field: new}
        )


def backward(apps, schema_editor):
    forward(apps, schema_editor, reverse=True)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_audited_managers")]

    operations = [migrations.RunPython(forward, backward)]
