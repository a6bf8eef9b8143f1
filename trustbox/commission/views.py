from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.commission import rules, services
from trustbox.commission.consequences import order_consequences
from trustbox.commission.forms import ElectionForm, OrderForm
from trustbox.commission.models import Commission, Election
from trustbox.schools.models import School


@school_view()
def overview(request: StaffRequest, school: School) -> HttpResponse:
    commissions = Commission.objects.for_school(school).prefetch_related("seats__user")
    return render(
        request,
        "commission/overview.html",
        {
            "school": school,
            "current": Commission.objects.current(school),
            "history": commissions.exclude(replaced_at=None),
        },
    )


@school_view(*rules.APPOINTERS)
def appoint(request: StaffRequest, school: School) -> HttpResponse:
    """Enter the director's order; one that replaces the commission in force is confirmed first.

    The confirmation says what the new order costs (the box key renewed by a quorum, the
    registry closed to whoever leaves); "Change the order" goes back to the form, filled in.
    """
    form = OrderForm(request.POST or None, school=school)
    current = Commission.objects.current(school)
    if request.method == "POST" and form.is_valid() and "change" not in request.POST:
        data = form.cleaned_data
        if current is not None and "confirm" not in request.POST:
            members = list(data["members"])
            return render(
                request,
                "commission/appoint_confirm.html",
                {
                    "school": school,
                    "form": form,
                    "current": current,
                    "members": members,
                    "leaving": [
                        m for m in current.members.order_by("full_name") if m not in members
                    ],
                    "joining": [m for m in members if not current.seats.filter(user=m).exists()],
                    "consequences": order_consequences(
                        school=school, current=current, members=members
                    ),
                },
            )
        try:
            commission = services.commission_appoint(
                school=school,
                by=staff_user(request),
                order_number=data["order_number"],
                order_date=data["order_date"],
                members=list(data["members"]),
                parents_representative=data["parents_representative"],
                responsible=data["responsible"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The order is entered. The new commission is in force."))
            return redirect("commission:detail", school=school.slug, pk=commission.pk)
    return render(
        request,
        "commission/appoint.html",
        {"school": school, "form": form, "current": current},
    )


@school_view()
def detail(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    commission = get_object_or_404(Commission.objects.for_school(school), pk=pk)
    election = Election.objects.filter(commission=commission).first()
    return render(
        request,
        "commission/detail.html",
        {
            "school": school,
            "commission": commission,
            "seats": commission.seats.select_related("user"),
            "election": election,
            "votes": election.votes.select_related("voter", "candidate") if election else [],
            "can_record_election": election is None
            and commission.in_force
            and rules.may_record_election(request.roles),
        },
    )


@school_view(*rules.ELECTION_RECORDERS)
def elect(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    commission = get_object_or_404(Commission.objects.for_school(school).in_force(), pk=pk)
    if Election.objects.filter(commission=commission).exists():
        return redirect("commission:detail", school=school.slug, pk=pk)
    form = ElectionForm(request.POST or None, commission=commission)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.commission_elect(
                commission=commission,
                by=staff_user(request),
                held_on=form.cleaned_data["held_on"],
                ballots=form.cleaned_data["ballots"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The vote is recorded in protocol № %(number)s.")
                % {"number": election.protocol_number},
            )
            return redirect("commission:detail", school=school.slug, pk=pk)
    return render(
        request,
        "commission/elect.html",
        {"school": school, "commission": commission, "form": form},
    )
