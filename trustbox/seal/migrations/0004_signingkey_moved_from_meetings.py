# The signing key moves down from meetings into the seal's keyring. Only Django's state moves:
# the table keeps its name (meetings_signingkey) and its rows, so no key and no signature is lost.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("seal", "0003_boxkey_share_identifier"),
        ("meetings", "0003_sealed_record"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SigningKey",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("public_key", models.BinaryField(max_length=32, verbose_name="public key")),
                        ("locked_private_key", models.BinaryField(verbose_name="locked private key")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("retired_at", models.DateTimeField(blank=True, null=True, verbose_name="retired")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="signing_keys", to=settings.AUTH_USER_MODEL, verbose_name="member")),
                    ],
                    options={
                        "verbose_name": "signing key",
                        "verbose_name_plural": "signing keys",
                        "db_table": "meetings_signingkey",
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("retired_at__isnull", True)),
                                fields=("user",),
                                name="one_signing_key_in_use",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
