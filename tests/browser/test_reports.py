"""The quarterly report in Chromium: prepared, analysed, signed, printed, put on an agenda (4.6).

The server's clock is set back to the day the last quarter's report is due (the 5th of the
month after it, moved off days off), so that the responsible person finishes it in time and the
compliance page can turn green: everything else runs as in production, the background work
through the database queue and `db_worker`.
"""

import datetime
import subprocess
from unittest import mock

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from trustbox.commission.rules import Ballot
from trustbox.commission.services import commission_elect
from trustbox.reports.models import Report
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.schools.periods import Quarter
from trustbox.test import PASSWORD, current_code, make_school_with_commission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANALYSIS = "Bullying at the breaks grew; the duty teachers helped."


@pytest.fixture
def report_day():
    """Move the clock of the server (one process with the test) to the report's deadline."""
    real_now = timezone.now
    quarter = Quarter.of(timezone.localdate()).previous()
    shift = datetime.timedelta(days=(timezone.localdate() - quarter.due_on).days)
    with mock.patch("django.utils.timezone.now", lambda: real_now() - shift):
        assert timezone.localdate() == quarter.due_on
        yield quarter


@pytest.fixture
def school_with_appeals(settings, report_day):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    made = make_school_with_commission("myrzakmatov", None)
    members = made["members"]
    commission_elect(
        commission=made["commission"],
        by=members[0],
        held_on=made["commission"].order_date,
        ballots=[Ballot(voter=m, chair=members[1], secretary=members[2]) for m in members],
    )
    start = report_day.start
    specs = [
        Spec(start + datetime.timedelta(days=10), category="bullying", outcome="psychologist"),
        Spec(start + datetime.timedelta(days=20), category="bullying", outcome="resolved"),
        Spec(start + datetime.timedelta(days=30), category="canteen", outcome="resolved"),
        Spec(start + datetime.timedelta(days=40), kind="proposal", category="school_life"),
    ]
    appeals_make(made["school"], members[0], specs)
    return made


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Six-digit code").fill(current_code(user))
    page.get_by_role("button", name="Confirm").click()


def serious_violations(page):
    return [
        violation["id"]
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def worker_runs():
    """What the worker beside the server does: make every job waiting in the queue."""
    call_command("db_worker", "--batch", verbosity=0)


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width + 1


def test_the_report_is_prepared_signed_printed_and_put_on_an_agenda(
    live_server, chromium, school_with_appeals, report_day
):
    base = live_server.url
    members = school_with_appeals["members"]
    responsible, chair = members[0], members[1]
    context = chromium.new_context(viewport={"width": 1024, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, responsible)

    page.goto(f"{base}/s/myrzakmatov/reports/")
    row = page.get_by_role("row").filter(has_text=f"{report_day.number} · {report_day.year}")
    row.get_by_role("button", name="Prepare the report").click()
    # The documents wait for the worker; the page says how far they have gone.
    expect(page.get_by_role("status")).to_contain_text("made in the background")
    expect(page.locator("progress")).to_be_visible()
    assert serious_violations(page) == []
    worker_runs()
    expect(page.get_by_text("The documents are ready.")).to_be_visible()
    expect(page.locator("figure.chart img").first).to_be_visible()

    page.get_by_label("Analysis").fill(ANALYSIS)
    page.get_by_label("Proposals").fill("More duty teachers at the breaks.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The draft is saved.")).to_be_visible()
    finalise = page.locator("form[action$='/finalise/']")
    finalise.get_by_label("Your password").fill(PASSWORD)
    finalise.get_by_role("button", name="Finalise and sign").click()
    expect(page.get_by_text("The report is finalised and signed.")).to_be_visible()
    worker_runs()
    expect(page.get_by_text("The documents are ready.")).to_be_visible()
    expect(page.get_by_text("the signature verifies: the report is unchanged")).to_be_visible()
    assert serious_violations(page) == []
    report = Report.objects.get(school=school_with_appeals["school"])
    assert report.is_final and report.figures["total"] == 4

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF in Kyrgyz").click()
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-", "-"],
            input=download.value.path().read_bytes(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split()
    )
    assert "«Ишеним кутусу» аркылуу келген кайрылуулар боюнча аналитикалык отчет" in text
    assert school_with_appeals["school"].name in text
    assert f"{report_day.year}-жылдын" in text
    assert ANALYSIS in text
    assert responsible.full_name in text

    # The chair puts it on the agenda of a meeting called from the report's page.
    chair_context = chromium.new_context(viewport={"width": 1024, "height": 900})
    chair_page = chair_context.new_page()
    chair_page.set_default_timeout(15_000)
    sign_in(chair_page, base, chair)
    chair_page.goto(f"{base}/s/myrzakmatov/reports/{report.pk}/")
    chair_page.get_by_role("link", name="Schedule a meeting with the report on its agenda").click()
    meeting_day = report_day.due_on + datetime.timedelta(days=3)
    chair_page.get_by_label("Date").fill(meeting_day.isoformat())
    chair_page.get_by_label("Time").fill("15:00")
    chair_page.get_by_label("Place").fill("room 12")
    expect(chair_page.locator(f"input[name='ref_report'][value='{report.pk}']")).to_be_checked()
    chair_page.get_by_role("button", name="Schedule the meeting").click()
    expect(chair_page.get_by_text("The meeting is scheduled")).to_be_visible()
    expect(chair_page.get_by_text("the analytical report for")).to_be_visible()
    chair_page.goto(f"{base}/s/myrzakmatov/reports/{report.pk}/")
    expect(chair_page.get_by_text("On the agenda of the")).to_be_visible()

    chair_page.goto(f"{base}/s/myrzakmatov/compliance/")
    line = chair_page.locator("section.compliance").filter(has_text="Cl. 4.6")
    expect(line).to_have_class("card compliance compliance-green")
    expect(line).to_contain_text("is on the agenda of the meeting of")
    assert serious_violations(chair_page) == []
    chair_context.close()

    # A phone: the report's page and the compliance page fit 360 px.
    phone_context = chromium.new_context(viewport={"width": 360, "height": 740})
    phone = phone_context.new_page()
    phone.set_default_timeout(15_000)
    sign_in(phone, base, responsible)
    for url in (f"/s/myrzakmatov/reports/{report.pk}/", "/s/myrzakmatov/compliance/"):
        phone.goto(base + url)
        phone.wait_for_load_state("load")
        wide = phone.evaluate(
            "[...document.querySelectorAll('body *')]"
            ".filter(e => !e.parentElement.closest('.table-scroll'))"
            ".filter(e => e.getBoundingClientRect().right > 361)"
            ".map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
        )
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert fits(phone, 360), (url, width, wide[:12])
    phone_context.close()
    context.close()
