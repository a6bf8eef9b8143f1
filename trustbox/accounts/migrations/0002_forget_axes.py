"""Drop the tables of django-axes, which counted wrong passwords before the throttle of its own.

They held login names and times of wrong passwords (never an address); nothing reads them now.
"""

from django.db import migrations

TABLES = (  # the one that refers to another first
    "axes_accessattemptexpiration",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunSQL(
            [f"DROP TABLE IF EXISTS {table}" for table in TABLES]
            + ["DELETE FROM django_migrations WHERE app = 'axes'"],
            reverse_sql=migrations.RunSQL.noop,
        )
    ]
