"""The ceremony's page: members gather, the paper appeals go in, the box opens, the seal
code is confirmed."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.accounts.throttle import member_check, password_check
from trustbox.box.selectors import box_contents
from trustbox.lib.languages import READER_LANGUAGES, language_choices
from trustbox.openings import gathering, rules, services
from trustbox.openings.forms import (
    JoinForm,
    JoinHereForm,
    OpenForm,
    PaperAppealForm,
    PasswordForm,
    ReserveShareForm,
)
from trustbox.openings.models import Opening
from trustbox.openings.screen import opening_of, screen_key, screen_key_forget
from trustbox.registry.selectors import to_register_from
from trustbox.schools.models import School


def _needed_text(opening: Opening, progress: gathering.Progress) -> str:
    """How many members are still needed, said for an opening or for a renewal."""
    needed = progress.still_needed
    if opening.is_renewal:
        if needed:
            return ngettext(
                "%(needed)s more member is needed to renew the box key.",
                "%(needed)s more members are needed to renew the box key.",
                needed,
            ) % {"needed": needed}
        return _("Enough members are present: the box key can be renewed.")
    if needed:
        return ngettext(
            "%(needed)s more member is needed to open the box.",
            "%(needed)s more members are needed to open the box.",
            needed,
        ) % {"needed": needed}
    return _("Enough members are present: the box can be opened.")


@dataclass(frozen=True)
class Steps:
    """Where the ceremony stands: each step is "done", "current" or "todo".

    Opening: gather, compare the code, open the box in the foyer, type in the paper
    appeals, check the seal (the box opens), print and sign the act, confirm the seal code.
    A renewal: gather, compare the code, renew.
    """

    gather: str
    code: str
    foyer: str = "todo"
    paper: str = "todo"
    seal: str = "todo"
    act: str = "todo"
    confirm: str = "todo"
    renew: str = "todo"


def _steps(opening: Opening, progress: gathering.Progress, all_confirmed: bool) -> Steps:
    if opening.is_gathering:
        ready = "current" if not progress.still_needed else "todo"
        gathered = "done" if not progress.still_needed else "current"
        if opening.is_renewal:
            return Steps(gather=gathered, code=gathered, renew=ready)
        return Steps(gather=gathered, code=gathered, foyer=ready, paper=ready, seal=ready)
    if opening.is_renewal:
        return Steps(gather="done", code="done", renew="done")
    return Steps(
        gather="done",
        code="done",
        foyer="done",
        paper="done",
        seal="done",
        act="current",
        confirm="done" if all_confirmed else "current",
    )


def _session_page(
    request: StaffRequest, school: School, opening: Opening, **forms: object
) -> HttpResponse:
    user = staff_user(request)
    progress = gathering.opening_progress(opening)
    browser_key = screen_key(request, opening)
    here = browser_key is not None
    screen_code = gathering.screen_code(opening, browser_key)
    opening_code = gathering.opening_code(opening)
    participants = list(opening.participants.select_related("member"))
    present = [p for p in participants if p.member is not None]
    unconfirmed = [p.member for p in present if p.member is not None and not p.confirmed_seal]
    context = {
        "school": school,
        "opening": opening,
        "progress": progress,
        "needed_text": _needed_text(opening, progress),
        "steps": _steps(opening, progress, all_confirmed=not unconfirmed),
        "joined": user in progress.present,
        "is_member": rules.may_gather(request.roles),
        "may_open": rules.may_open(request.roles),
        "here": here,
        # On the starting screen: the code of the key this screen holds, and whether the
        # database still names that key (if not, nobody may join).
        "screen_code": screen_code,
        "tampered": opening.is_gathering and here and screen_code != opening_code,
        "opening_code": opening_code,
        "opening_hours": settings.OPENING_HOURS,
        "box": box_contents(school),
        "join_form": forms.get("join_form")
        or (PasswordForm() if here else JoinForm(renewal=opening.is_renewal)),
        "join_here_form": forms.get("join_here_form") or JoinHereForm(),
        "paper_form": forms.get("paper_form") or PaperAppealForm(),
        "reserve_form": forms.get("reserve_form") or ReserveShareForm(),
        "holds_share": opening.box_key.shares.filter(holder=user).exists(),
        "open_form": forms.get("open_form") or OpenForm(),
        "confirm_here_form": forms.get("confirm_here_form") or JoinHereForm(),
        "seal_code": services.seal_code(opening),
        "seal_finding": services.seal_finding(opening) if opening.is_opened else "",
        "damage": services.damage_lines(opening),
        "present": present,
        "unconfirmed": unconfirmed,
        "unconfirmed_names": ", ".join(member.full_name for member in unconfirmed),
        "confirmed": any(p.member == user and p.confirmed_seal for p in present),
        "next": to_register_from(opening_id=opening.pk)
        if opening.is_opened and not opening.is_renewal
        else None,
        "act_languages": language_choices(READER_LANGUAGES),
    }
    return render(request, "openings/session.html", context, status=400 if forms else 200)


@school_view()
def session(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    return _session_page(request, school, opening_of(school, pk))


@school_view()
def progress(request: StaffRequest, school: School, pk: int) -> JsonResponse:
    """Where the gathering stands, for the page's script that keeps the count up to date."""
    opening = opening_of(school, pk)
    state = gathering.opening_progress(opening)
    return JsonResponse(
        {
            "status": opening.status,
            "still_needed": state.still_needed,
            "needed_text": _needed_text(opening, state),
            "present": [member.full_name for member in state.present],
            "reserve": state.reserve,
            "reserve_text": ngettext(
                "%(count)s reserve part", "%(count)s reserve parts", state.reserve
            )
            % {"count": state.reserve}
            if state.reserve
            else "",
        }
    )


@require_POST
@sensitive_post_parameters("password")
@school_view()
def join(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    opening = opening_of(school, pk)
    browser_key = screen_key(request, opening)
    # On the starting screen the code comes from the key it holds; elsewhere the member types
    # the code read on that screen.
    form = (
        PasswordForm(request.POST)
        if browser_key
        else JoinForm(request.POST, renewal=opening.is_renewal)
    )
    if form.is_valid():
        code = (
            gathering.screen_code(opening, browser_key) or ""
            if browser_key
            else form.cleaned_data["code"]
        )
        try:
            password_check(user=staff_user(request), password=form.cleaned_data["password"])
            gathering.opening_join(
                opening=opening,
                member=staff_user(request),
                password=form.cleaned_data["password"],
                session_code=code,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("openings:session", school=school.slug, pk=pk)
    return _session_page(request, school, opening, join_form=form)


@require_POST
@sensitive_post_parameters("password", "code")
@school_view(*rules.GATHERERS)
def join_here(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    """Another member joins on this screen, proving both factors."""
    opening = opening_of(school, pk)
    form = JoinHereForm(request.POST)
    code = gathering.screen_code(opening, screen_key(request, opening))
    if form.is_valid():
        if code is None or code != gathering.opening_code(opening):
            form.add_error(
                None,
                _("Members join on the screen where this gathering was started.")
                if opening.is_renewal
                else _("Members join on the screen where this opening was started."),
            )
        else:
            try:
                # Both factors, counted per account (trustbox/accounts/throttle.py): nobody
                # without the member's code counts wrong passwords against her, and wrong codes
                # count only with her right password.
                member = member_check(
                    request=request,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                    code=form.cleaned_data["code"],
                )
                gathering.opening_join(
                    opening=opening,
                    member=member,
                    password=form.cleaned_data["password"],
                    session_code=code,
                )
            except ValidationError as error:
                paused = error.code in ("paused", "codes_paused")
                form.add_error(
                    None,
                    error if paused else _("The login, the password or the code is not right."),
                )
            else:
                messages.success(request, _("%(name)s has joined.") % {"name": member.full_name})
                return redirect("openings:session", school=school.slug, pk=pk)
    return _session_page(request, school, opening, join_here_form=form)


@require_POST
@sensitive_post_parameters()
@sensitive_variables()
@school_view(*rules.OPENERS)
def paper(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    opening = opening_of(school, pk)
    form = PaperAppealForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.paper_appeal_add(
                opening=opening, by=staff_user(request), envelope=form.envelope()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The paper appeal is sealed into the box; it is opened with the others.")
            )
            return redirect("openings:session", school=school.slug, pk=pk)
    return _session_page(request, school, opening, paper_form=form)


@require_POST
@school_view(*rules.OPENERS)
def open_box(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    opening = opening_of(school, pk)
    form = OpenForm(request.POST)
    browser_key = screen_key(request, opening)
    if form.is_valid():
        if browser_key is None:
            form.add_error(None, _("Open the box on the device where this opening was started."))
        else:
            try:
                services.opening_open(
                    opening=opening,
                    by=staff_user(request),
                    browser_key=browser_key,
                    box_note=form.cleaned_data["box_note"],
                    copies=form.cleaned_data["copies"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                response = redirect("openings:session", school=school.slug, pk=pk)
                screen_key_forget(response, school, opening)
                return response
    return _session_page(request, school, opening, open_form=form)


@require_POST
@school_view(*rules.OPENERS)
def confirm(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    opening = opening_of(school, pk)
    try:
        services.opening_confirm_seal(opening=opening, member=staff_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("openings:session", school=school.slug, pk=pk)


@require_POST
@sensitive_post_parameters("password", "code")
@school_view(*rules.GATHERERS)
def confirm_here(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    """A member present confirms the new seal code on the shared screen, proving both factors.

    Members who joined on the shared screen have no page of their own to confirm on: they
    sign for this one act with their login, password and authenticator code, as they did to
    join. The confirmation is theirs in the audit log, naming the screen's person.
    """
    opening = opening_of(school, pk)
    form = JoinHereForm(request.POST)
    if form.is_valid():
        try:
            # Both factors, as to join here (trustbox/accounts/throttle.py).
            member = member_check(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
            services.opening_confirm_seal(
                opening=opening, member=member, screen_of=staff_user(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s confirmed the seal code.") % {"name": member.full_name},
            )
            return redirect("openings:session", school=school.slug, pk=pk)
    return _session_page(request, school, opening, confirm_here_form=form)


@require_POST
@sensitive_post_parameters("words")
@school_view(*rules.GATHERERS)
def reserve(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    """A reserve part from the school safe is typed in on the screen of the gathering."""
    opening = opening_of(school, pk)
    form = ReserveShareForm(request.POST)
    if form.is_valid():
        if screen_key(request, opening) is None:
            form.add_error(
                None, _("Type the reserve part on the screen where this gathering was started.")
            )
        else:
            try:
                gathering.reserve_share_add(
                    opening=opening, by=staff_user(request), words=form.cleaned_data["words"]
                )
            except ValidationError as error:
                form.add_error("words", error)
            else:
                messages.success(request, _("The reserve part counts as one share."))
                return redirect("openings:session", school=school.slug, pk=pk)
    return _session_page(request, school, opening, reserve_form=form)
