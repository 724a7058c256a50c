"""Step 1 of 3 (see ``0005_operators_are_officers``): officer columns next to
the user columns, which become optional."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_audited_managers"),
        ("queueing", "0003_audited_managers"),
    ]

    operations = [
        migrations.AddField(
            model_name="counteroperator",
            name="officer",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="queue_counters",
                to="accounts.officer",
                verbose_name="officer",
            ),
        ),
        migrations.AddField(
            model_name="officesupervisor",
            name="officer",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="queue_offices",
                to="accounts.officer",
                verbose_name="officer",
            ),
        ),
        migrations.AlterField(
            model_name="counteroperator",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.user",
            ),
        ),
        migrations.AlterField(
            model_name="officesupervisor",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.user",
            ),
        ),
    ]
