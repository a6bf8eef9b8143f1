"""Reports sign with the member's one signing key (meetings.SigningKey): move any report key there.

A member who has no key in use keeps hers, moved as it is (locked under the same password). A
member who already has one keeps that one; her report key is moved as retired, its private half
dropped: every signature keeps the public key it was made with, so it still verifies.
"""

from django.db import migrations
from django.utils import timezone


def keys_move(apps, schema_editor):
    ReportSigningKey = apps.get_model("reports", "ReportSigningKey")
    SigningKey = apps.get_model("meetings", "SigningKey")
    for old in ReportSigningKey.objects.order_by("id"):
        in_use = SigningKey.objects.filter(user_id=old.user_id, retired_at__isnull=True).exists()
        retire = old.retired_at is not None or in_use
        SigningKey.objects.create(
            user_id=old.user_id,
            public_key=bytes(old.public_key),
            locked_private_key=b"" if retire else bytes(old.locked_private_key),
            retired_at=(old.retired_at or timezone.now()) if retire else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("meetings", "0002_first_sessions"),
    ]

    operations = [
        migrations.RunPython(keys_move, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReportSigningKey"),
    ]
