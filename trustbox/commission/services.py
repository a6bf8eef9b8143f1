"""Changes of state for commissions, each with its audit row."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.commission.actions import CommissionAction
from trustbox.commission.models import (
    Commission,
    CommissionMember,
    Election,
    ElectionVote,
    Office,
)
from trustbox.commission.rules import Ballot, Outcome, election_outcome, order_problems
from trustbox.commission.signals import commission_replaced, election_recorded
from trustbox.schools.models import Membership, School


@transaction.atomic
def commission_appoint(
    *,
    school: School,
    by: User,
    order_number: str,
    order_date: datetime.date,
    members: Sequence[User],
    parents_representative: User,
    responsible: User,
) -> Commission:
    """Enter the director's order; it replaces the commission in force, which stays in history."""
    problems = order_problems(
        members=members, parents_representative=parents_representative, responsible=responsible
    )
    if problems:
        raise ValidationError(problems)
    positions = dict(
        Membership.objects.filter(school=school, user__in=members).values_list(
            "user_id", "position"
        )
    )
    if len(positions) != len(members):
        raise ValidationError(_("Every member must be a person of this school."))

    previous = Commission.objects.current(school)
    commission = Commission.objects.create(
        school=school,
        order_number=order_number,
        order_date=order_date,
        parents_representative=parents_representative,
        responsible=responsible,
        entered_by=by,
    )
    CommissionMember.objects.bulk_create(
        CommissionMember(commission=commission, user=user, position=positions[user.pk])
        for user in members
    )
    if previous is not None:
        previous.replaced_at = timezone.now()
        previous.replaced_by = commission
        previous.save(update_fields=["replaced_at", "replaced_by"])
    audit_write(
        school=school,
        actor=by,
        action=CommissionAction.APPOINT,
        target=commission,
        details={
            "order_number": order_number,
            "order_date": order_date.isoformat(),
            "members": sorted(user.pk for user in members),
            "replaces": previous.pk if previous else None,
        },
    )
    commission_replaced.send(
        sender=Commission, school=school, commission=commission, previous=previous, by=by
    )
    return commission


@transaction.atomic
def commission_elect(
    *,
    commission: Commission,
    by: User,
    held_on: datetime.date,
    ballots: Sequence[Ballot],
    protocol_number: str = "1",
) -> Election:
    """Record the first session's open vote and, if it has an outcome, the chair and secretary."""
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    if not commission.in_force:
        raise ValidationError(_("This commission has been replaced by a newer order."))
    if Election.objects.filter(commission=commission).exists():
        raise ValidationError(_("The chair and secretary of this commission are already elected."))
    members = list(commission.members.all())
    for ballot in ballots:
        if {ballot.voter, ballot.chair, ballot.secretary} - set(members):
            raise ValidationError(_("Only members of the commission vote and are elected."))
    if len({ballot.voter for ballot in ballots}) != len(ballots):
        raise ValidationError(_("Each member votes once."))

    outcome = election_outcome(members=members, ballots=ballots)
    if not isinstance(outcome, Outcome):
        raise ValidationError(outcome)

    election = Election.objects.create(
        commission=commission, held_on=held_on, protocol_number=protocol_number, recorded_by=by
    )
    ElectionVote.objects.bulk_create(
        ElectionVote(election=election, office=office, voter=ballot.voter, candidate=candidate)
        for ballot in ballots
        for office, candidate in (
            (Office.CHAIR, ballot.chair),
            (Office.SECRETARY, ballot.secretary),
        )
    )
    commission.chair = outcome.chair
    commission.secretary = outcome.secretary
    commission.save(update_fields=["chair", "secretary"])
    audit_write(
        school=commission.school,
        actor=by,
        action=CommissionAction.ELECT,
        target=commission,
        details={
            "held_on": held_on.isoformat(),
            "chair": outcome.chair.pk,
            "secretary": outcome.secretary.pk,
            "votes": [[b.voter.pk, b.chair.pk, b.secretary.pk] for b in ballots],
        },
    )
    election_recorded.send(sender=Election, commission=commission, election=election, by=by)
    return election
