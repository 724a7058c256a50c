"""Step 3 of 3 (see ``0005_operators_are_officers``): the user columns go, the
officer columns become required and unique per counter and office."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("queueing", "0005_operators_are_officers")]

    operations = [
        migrations.RemoveConstraint(
            model_name="counteroperator", name="counter_operator_unique"
        ),
        migrations.RemoveConstraint(
            model_name="officesupervisor", name="office_supervisor_unique"
        ),
        migrations.RemoveField(model_name="counteroperator", name="user"),
        migrations.RemoveField(model_name="officesupervisor", name="user"),
        migrations.AlterField(
            model_name="counteroperator",
            name="officer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="queue_counters",
                to="accounts.officer",
                verbose_name="officer",
            ),
        ),
        migrations.AlterField(
            model_name="officesupervisor",
            name="officer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="queue_offices",
                to="accounts.officer",
                verbose_name="officer",
            ),
        ),
        migrations.AddConstraint(
            model_name="counteroperator",
            constraint=models.UniqueConstraint(
                fields=("counter", "officer"), name="counter_officer_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="officesupervisor",
            constraint=models.UniqueConstraint(
                fields=("office", "officer"), name="office_supervisor_officer_unique"
            ),
        ),
    ]
