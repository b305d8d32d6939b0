import django.core.validators
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0018_facility_records")]

    operations = [
        migrations.AlterField(
            model_name="facility",
            name="facility_id",
            field=models.CharField(
                help_text="Stable id, part of the public URL, e.g. penal-colony-15.",
                max_length=100,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[a-z0-9][a-z0-9-]*$",
                        "Use lower-case letters, digits and '-', starting with a letter or digit.",
                    )
                ],
                verbose_name="facility id",
            ),
        ),
        migrations.AlterField(
            model_name="historicalfacility",
            name="facility_id",
            field=models.CharField(
                db_index=True,
                help_text="Stable id, part of the public URL, e.g. penal-colony-15.",
                max_length=100,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[a-z0-9][a-z0-9-]*$",
                        "Use lower-case letters, digits and '-', starting with a letter or digit.",
                    )
                ],
                verbose_name="facility id",
            ),
        ),
        migrations.AddConstraint(
            model_name="facility",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                name="facility_name_unique_in_any_case",
            ),
        ),
    ]
