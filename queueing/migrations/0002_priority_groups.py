"""The priority groups of UU 25/2009 Pasal 29 (special treatment): the elderly,
people with disabilities and pregnant women. Admins may add or deactivate."""

from django.db import migrations

GROUPS = [
    ("lansia", "Lanjut usia (60 tahun ke atas)", "Elderly (60 and over)", 1),
    ("disabilitas", "Penyandang disabilitas", "Person with a disability", 2),
    ("ibu-hamil", "Ibu hamil", "Pregnant woman", 3),
]


def seed(apps, schema_editor):
    PriorityGroup = apps.get_model("queueing", "PriorityGroup")
    for code, name, name_en, order in GROUPS:
        PriorityGroup.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("queueing", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
