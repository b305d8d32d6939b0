"""The free-text target of sanctions events, now target records (0018)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0025_sanctions_targets_data")]

    operations = [
        migrations.RemoveField(model_name="historicalsanctionsevent", name="target"),
        migrations.RemoveField(model_name="sanctionsevent", name="target"),
    ]
