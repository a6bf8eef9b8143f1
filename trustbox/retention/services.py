"""Changes of state of retention: the school's periods, an act drawn up, signed, carried out.

Each writes its audit row. The act is drawn up from a meeting that adopted a decision on a
destruction item; every member of that meeting's commission signs it with her own signing key
(as a protocol, cl. 4.3); after the last signature the cases it lists are destroyed, one by
one, by the registry's destruction service (registry.destruction.appeal_destroy).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.access import Role, roles_in
from trustbox.accounts.models import User
from trustbox.audit.models import AuditEntry
from trustbox.audit.services import audit_write, target_label
from trustbox.meetings.models import Meeting
from trustbox.registry.destruction import appeal_destroy
from trustbox.retention.actions import RetentionAction
from trustbox.retention.content import act_content, act_fingerprint, act_message
from trustbox.retention.models import ActLine, ActSignature, DestructionAct, RetentionRule
from trustbox.retention.periods import LONGEST, RECORD_KINDS, periods_in_force
from trustbox.retention.selectors import act_signers, cases_past_period, decision_adopted
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.seal.keyring import signing_key_unlock


def _periods_check(values: Mapping[str, int | None], clause: str) -> None:
    errors: dict[str, list[str]] = {}
    for kind in RECORD_KINDS:
        value = values.get(kind.field)
        if value is not None and not 1 <= value <= LONGEST:
            errors[kind.field] = [
                _("A retention period is a whole number of years from 1 to %(longest)d.")
                % {"longest": LONGEST}
            ]
    short, long = values.get("appeals"), values.get("appeals_long")
    if not errors and short and long and long < short:
        errors["appeals_long"] = [
            _("Urgent and referred appeals are kept at least as long as the other appeals.")
        ]
    if any(values.get(kind.field) for kind in RECORD_KINDS) and not clause.strip():
        errors["clause"] = [
            _("Name the clause of the nomenclature of cases that sets the school's own periods.")
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def retention_periods_set(
    *, school: School, by: User, values: Mapping[str, int | None], clause: str
) -> RetentionRule:
    """Set the school's own periods (None: the install's default) and the clause they follow."""
    _periods_check(values, clause)
    rule, _created = RetentionRule.objects.get_or_create(school=school)
    for kind in RECORD_KINDS:
        setattr(rule, kind.field, values.get(kind.field))
    rule.clause = clause.strip()
    rule.changed_by = by
    rule.save()
    audit_write(
        school=school,
        actor=by,
        action=RetentionAction.PERIODS,
        target=rule,
        details={kind.field: values.get(kind.field) for kind in RECORD_KINDS},
    )
    return rule


@transaction.atomic
def act_draw_up(*, meeting: Meeting, by: User) -> DestructionAct:
    """Draw up the act of destruction the meeting decided: the cases past their period then."""
    meeting = Meeting.objects.select_for_update().select_related("school").get(pk=meeting.pk)
    school = meeting.school
    if meeting.status != Meeting.Status.HELD or not decision_adopted(meeting):
        raise ValidationError(
            _("The commission has not adopted a decision on the destruction at this meeting.")
        )
    if DestructionAct.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("The act of destruction of this meeting is drawn up already."))
    appeals = list(cases_past_period(school, meeting.held_on).select_for_update(of=("self",)))
    if not appeals:
        raise ValidationError(_("No case was past its retention period on the day of the meeting."))
    School.objects.select_for_update().filter(pk=school.pk).exists()
    year = meeting.held_on.year
    last = DestructionAct.objects.filter(school=school, year=year).aggregate(n=Max("number"))["n"]
    content = act_content(
        meeting=meeting,
        year=year,
        number=(last or 0) + 1,
        periods=periods_in_force(school),
        appeals=appeals,
    )
    act = DestructionAct.objects.create(
        school=school,
        meeting=meeting,
        year=year,
        number=content["number"],
        content=content,
        fingerprint=act_fingerprint(content),
        drawn_up_by=by,
    )
    ActLine.objects.bulk_create(
        ActLine(act=act, position=index, appeal=appeal)
        for index, appeal in enumerate(appeals, start=1)
    )
    audit_write(
        school=school,
        actor=by,
        action=RetentionAction.DRAW_UP,
        target=act,
        details={"fingerprint": act.fingerprint, "cases": len(appeals)},
    )
    return act


def signing_problem(act: DestructionAct, member: User) -> str | None:
    """Why the member cannot sign the act now, or None if she can."""
    if act.withdrawn_at is not None:
        return _("This act of destruction was withdrawn: it is no longer signed.")
    if member not in act_signers(act):
        return _("Only the members of the commission that held the meeting sign its act.")
    if Role.MEMBER not in roles_in(member, act.school):
        return _("%(name)s has left the commission and can no longer sign.") % {
            "name": member.full_name
        }
    if act.signatures.filter(member=member).exists():
        return _("%(name)s has already signed this act.") % {"name": member.full_name}
    if act_fingerprint(act.content) != act.fingerprint:
        return _("The act's content does not match its fingerprint: it cannot be signed.")
    return None


@transaction.atomic
def _act_sign(*, act: DestructionAct, member: User, password: str) -> DestructionAct:
    act = (
        DestructionAct.objects.select_for_update()
        .select_related("school", "meeting")
        .get(pk=act.pk)
    )
    problem = signing_problem(act, member)
    if problem:
        raise ValidationError(problem)
    private, public = signing_key_unlock(user=member, password=password, school=act.school)
    ActSignature.objects.create(
        act=act,
        member=member,
        fingerprint=act.fingerprint,
        public_key=public,
        value=crypto.sign_with_signing_key(private, act_message(act.content)),
    )
    signed = set(act.signatures.values_list("member_id", flat=True))
    if {signer.pk for signer in act_signers(act)} <= signed:
        act.completed_at = timezone.now()
        act.save(update_fields=["completed_at"])
    audit_write(
        school=act.school,
        actor=member,
        action=RetentionAction.SIGN,
        target=act,
        details={"fingerprint": act.fingerprint, "key": crypto.key_fingerprint(public)},
    )
    return act


def act_sign(*, act: DestructionAct, member: User, password: str) -> DestructionAct:
    """Sign the act with the member's own key; after the last signature, destroy its cases."""
    act = _act_sign(act=act, member=member, password=password)
    if act.completed_at is not None:
        # Signed all the same if a case is refused: the act's page says so and offers to finish.
        with contextlib.suppress(ValidationError):
            act = act_destroy(act=act, by=member)
    return act


def act_signatures_problems(act: DestructionAct) -> list[str]:
    """What, written in the database behind the app's back, keeps the act from being carried out.

    The act's content must still have its fingerprint; its lines must be the cases its content
    lists; every member who signs it must have a signature that verifies over the content with
    the key her signing entry in the audit log names (the log's chain and its heads mailed daily
    and printed on the acts show an entry written in afterwards).
    """
    problems = []
    if act_fingerprint(act.content) != act.fingerprint:
        problems.append(_("The act's content does not match its fingerprint."))
    listed = {line["number"] for line in act.content.get("lines", [])}
    if {line.appeal.number for line in act.lines.select_related("appeal")} != listed:
        problems.append(_("The act's cases are not the ones its signed content lists."))
    logged = {
        (entry.actor_id, entry.details.get("key"))
        for entry in AuditEntry.objects.filter(
            school=act.school, action=RetentionAction.SIGN.value, target=target_label(act)
        )
    }
    message = act_message(act.content)
    signatures = {signature.member_id: signature for signature in act.signatures.all()}
    for signer in act_signers(act):
        signature = signatures.get(signer.pk)
        if (
            signature is None
            or (signer.pk, crypto.key_fingerprint(bytes(signature.public_key))) not in logged
            or not crypto.signature_verify(
                bytes(signature.public_key), message, bytes(signature.value)
            )
        ):
            problems.append(
                _("%(name)s's signature of the act does not hold.") % {"name": signer.full_name}
            )
    return problems


def act_destroy(*, act: DestructionAct, by: User) -> DestructionAct:
    """Destroy every case the act lists, once every member has signed it.

    Plainly, in the request of the last signature: a school closes some tens of cases a year
    and each destruction deletes a few rows. Each case is destroyed in its own transaction and
    marked on its line, so that a failure leaves the act half done and a second run (the act's
    page offers it) takes up the rest.
    """
    act = DestructionAct.objects.select_related("school").get(pk=act.pk)
    if act.withdrawn_at is not None:
        raise ValidationError(_("This act of destruction was withdrawn: it destroys nothing."))
    if act.completed_at is None:
        raise ValidationError(_("The cases are destroyed only once every member signed the act."))
    problems = act_signatures_problems(act)
    if problems:
        raise ValidationError(problems)
    reference, refused = act.reference, []
    for line in act.lines.filter(destroyed_at__isnull=True).select_related("appeal"):
        try:
            with transaction.atomic():
                appeal_destroy(appeal=line.appeal, by=by, act_reference=reference)
                line.destroyed_at = timezone.now()
                line.save(update_fields=["destroyed_at"])
        except ValidationError as error:  # reopened since the act was drawn up, say
            refused.extend(error.messages)
    if refused:
        raise ValidationError(refused)
    if act.destroyed_at is None:
        with transaction.atomic():
            act.destroyed_at = timezone.now()
            act.save(update_fields=["destroyed_at"])
            audit_write(
                school=act.school,
                actor=by,
                action=RetentionAction.DESTROYED,
                target=act,
                details={"fingerprint": act.fingerprint, "cases": act.lines.count()},
            )
    return act
