# The signing key moves down into the seal's keyring (seal 0004): meetings forgets the model;
# its table (meetings_signingkey) and rows stay, now owned by seal.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0003_sealed_record"),
        ("seal", "0004_signingkey_moved_from_meetings"),
        # reports 0002 moved the report keys into meetings.SigningKey: it reads that state.
        ("reports", "0002_one_signing_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SigningKey")],
            database_operations=[],
        ),
    ]
