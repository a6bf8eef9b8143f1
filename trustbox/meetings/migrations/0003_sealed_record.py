"""The commission's words are sealed to the registry key; what was kept in clear is sealed now.

Sealing needs only the registry key's public half, which is stored: for every school with a
registry key, the agenda's own words, the decisions and the free text of every protocol are
sealed to the key in force and the clear columns are emptied. A protocol signed before keeps
the fingerprint of its clear content (legacy_fingerprint), which its signatures cover; opening
its sealed pieces gives that content back exactly (content.content_as_signed_in_clear). A
school with no registry key yet keeps its words in clear until its first sealing or the daily
job (sealing.record_seal_leftovers). No audit entry is written here: the job's own does.
"""

import base64

from django.db import migrations, models


def _sealer(public):
    # As sealing.sealed_to does it (written out here so that this migration stays as it is).
    from trustbox.seal.crypto import seal_for_commission

    def seal(text):
        sealed = seal_for_commission(public, text.encode())
        return {
            "to": base64.b64encode(public).decode(),
            "sealed": base64.b64encode(sealed).decode(),
        }

    return seal


def record_seal(apps, schema_editor):
    from trustbox.meetings.content import FORMAT_CLEAR, content_fingerprint, content_seal

    RegistryKey = apps.get_model("registry", "RegistryKey")
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Decision = apps.get_model("meetings", "Decision")
    Protocol = apps.get_model("meetings", "Protocol")
    Signature = apps.get_model("meetings", "Signature")
    schools = set(Protocol.objects.values_list("school_id", flat=True))
    schools |= set(
        AgendaItem.objects.exclude(title="").values_list("meeting__school_id", flat=True)
    )
    schools |= set(Decision.objects.values_list("meeting__school_id", flat=True))
    for school_id in sorted(schools):
        key = RegistryKey.objects.filter(school_id=school_id).order_by("-id").first()
        if key is None:
            continue
        seal = _sealer(bytes(key.public_key))
        for item in AgendaItem.objects.filter(meeting__school_id=school_id).exclude(title=""):
            item.sealed_title, item.title = seal(item.title), ""
            item.save(update_fields=["sealed_title", "title"])
        for decision in Decision.objects.filter(meeting__school_id=school_id).exclude(text=""):
            decision.sealed_text, decision.text = seal(decision.text), ""
            decision.save(update_fields=["sealed_text", "text"])
        for protocol in Protocol.objects.filter(school_id=school_id, content__format=FORMAT_CLEAR):
            content, _count = content_seal(protocol.content, seal)
            if Signature.objects.filter(protocol=protocol).exists():
                protocol.legacy_fingerprint = protocol.fingerprint
            protocol.content, protocol.fingerprint = content, content_fingerprint(content)
            protocol.save(update_fields=["content", "fingerprint", "legacy_fingerprint"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_first_sessions"),
        ("registry", "0005_appeal_source_kiosk"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="sealed_title",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="decision",
            name="sealed_text",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="protocol",
            name="legacy_fingerprint",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="decision",
            name="text",
            field=models.TextField(blank=True, verbose_name="decision"),
        ),
        migrations.RunPython(record_seal, migrations.RunPython.noop),
    ]
