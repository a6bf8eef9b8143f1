"""Elections recorded before meetings existed become held first sessions with protocol № 1.

From now on the commission's election_recorded signal does this as the vote is recorded; this
migration does it once for the elections already in the database (the demo, earlier installs).
It writes no audit entry: the election's own entry (commission.elect) records the vote.
"""

from django.db import migrations
from django.db.models import Max


def first_sessions_keep(apps, schema_editor):
    from trustbox.meetings.content import content_fingerprint, meeting_content
    from trustbox.seal.crypto import verification_code_generate

    Election = apps.get_model("commission", "Election")
    Meeting = apps.get_model("meetings", "Meeting")
    Attendance = apps.get_model("meetings", "Attendance")
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Protocol = apps.get_model("meetings", "Protocol")
    elections = (
        Election.objects.filter(meeting__isnull=True)
        .select_related("commission__school")
        .order_by("held_on", "id")
    )
    for election in elections:
        commission = election.commission
        school = commission.school
        meeting = Meeting.objects.create(
            school=school,
            commission=commission,
            kind="first_session",
            status="held",
            held_on=election.held_on,
            election=election,
            scheduled_by_id=election.recorded_by_id,
        )
        voters = set(election.votes.values_list("voter_id", flat=True))
        for seat in commission.seats.all():
            Attendance.objects.create(
                meeting=meeting, member_id=seat.user_id, present=seat.user_id in voters
            )
        AgendaItem.objects.create(meeting=meeting, position=1, kind="election")
        year = election.held_on.year
        last = Protocol.objects.filter(school=school, year=year).aggregate(n=Max("number"))["n"]
        number = (last or 0) + 1
        content = meeting_content(meeting, year=year, number=number, text="", corrects=None)
        Protocol.objects.create(
            school=school,
            meeting=meeting,
            year=year,
            number=number,
            content=content,
            fingerprint=content_fingerprint(content),
            verify_code=verification_code_generate(),
            drafted_by_id=election.recorded_by_id,
        )
        if election.protocol_number != str(number):
            election.protocol_number = str(number)
            election.save(update_fields=["protocol_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("commission", "0001_initial"),
    ]

    operations = [migrations.RunPython(first_sessions_keep, migrations.RunPython.noop)]
