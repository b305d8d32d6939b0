"""Anonymous people now enter the stored figures by month (rules.BY_MONTH):
the held series and releases per day built before count them on their exact
days, so every stored figure is marked stale and rebuilt by its next reader."""

from django.db import migrations


def mark_stale(apps, schema_editor):
    apps.get_model("prisoners", "FigureBuild").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0009_merge_records")]

    operations = [migrations.RunPython(mark_stale, migrations.RunPython.noop)]
