from django.db import migrations, models
from django.db.models import Max, Q


def opened_to_from_flags(apps, schema_editor):
    """Boxes opened before: openings went as far as the last place taken out or set aside."""
    Box = apps.get_model("box", "Box")
    SealedAppeal = apps.get_model("box", "SealedAppeal")
    for box in Box.objects.all():
        last = SealedAppeal.objects.filter(
            Q(opened=True) | Q(set_aside=True), school_id=box.school_id
        ).aggregate(last=Max("seq"))["last"]
        if last:
            Box.objects.filter(pk=box.pk).update(opened_to=last)


class Migration(migrations.Migration):
    dependencies = [
        ("box", "0003_sealedappeal_set_aside"),
    ]

    operations = [
        migrations.AddField(
            model_name="box",
            name="opened_to",
            field=models.PositiveIntegerField(default=0, verbose_name="places accounted for by openings"),
        ),
        migrations.RunPython(opened_to_from_flags, migrations.RunPython.noop),
    ]
