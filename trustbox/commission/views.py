from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.commission import rules, services
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
    form = OrderForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
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
    return render(request, "commission/appoint.html", {"school": school, "form": form})


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
