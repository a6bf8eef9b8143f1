import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import translation

from trustbox.accounts.access import Role, roles_in
from trustbox.commission.models import Commission
from trustbox.demo.builders import DEMO_PASSWORD, demo_create


class DemoTestCase(TestCase):
    def test_the_demo_school_has_a_full_elected_commission(self):
        school = demo_create()
        commission = Commission.objects.current(school)
        self.assertEqual(commission.size, 5)
        self.assertEqual(commission.order_number, "12")
        self.assertEqual(commission.chair.username, "chair")
        self.assertEqual(commission.secretary.username, "secretary")
        self.assertIn(Role.RESPONSIBLE, roles_in(commission.responsible, school))
        self.assertTrue(commission.responsible.check_password(DEMO_PASSWORD))
        # Made once: a second call changes nothing (the district's other schools have
        # commissions of their own since issue 21).
        made = Commission.objects.count()
        self.assertEqual(demo_create(), school)
        self.assertEqual(Commission.objects.count(), made)
        self.assertEqual(Commission.objects.filter(school=school).count(), 1)

    @override_settings(OPENING_TAKES_ITS_OWN_DAY=False)
    def test_the_demo_command_prints_the_address_and_the_logins(self):
        # Also on an install whose openings leave their own day (the default): the command
        # makes and opens its past quarters on the day it runs all the same.
        out = StringIO()
        with translation.override("ru"):
            call_command("demo", address="http://localhost:8000", stdout=out)
        text = out.getvalue()
        self.assertIn("http://localhost:8000/", text)
        self.assertIn(DEMO_PASSWORD, text)
        for login in ("director", "responsible", "chair", "secretary", "psychologist", "parent"):
            self.assertIn(login, text)
        code = StringIO()
        call_command("otpcode", stdout=code)
        self.assertRegex(code.getvalue().strip(), r"^\d{6}$")
        # The operator's language (issue 23): Russian as asked, then Kyrgyz, the default.
        self.assertRegex(text, r"Код квитанции семиклассницы: +\d{4}-\d{4}-\d{4}-\d{4}-\d{4}")
        self.assertIn("Пароль (у всех):", text)
        self.assertRegex(text, r"\n    chair +член комиссии, председатель\n")
        again = StringIO()
        call_command("demo", address="http://localhost:8000", stdout=again)
        self.assertIn("Сырсөз (баарына):", again.getvalue())
        self.assertRegex(again.getvalue(), r"\n    chair +комиссиянын мүчөсү, төрага\n")


class DemoMeetingsTestCase(TestCase):
    """Step 9 under way: the first session and a regular meeting held, the next one called."""

    def test_the_demo_school_has_met_twice_and_one_signature_is_missing(self):
        from django.utils import timezone

        from trustbox.meetings.models import Meeting, Protocol
        from trustbox.meetings.selectors import protocol_check

        school = demo_create()
        first, regular = Protocol.objects.filter(school=school).order_by("number")
        self.assertEqual(first.number, 1)
        self.assertEqual(first.meeting.kind, Meeting.Kind.FIRST_SESSION)
        first_check = protocol_check(first)
        self.assertTrue(first_check.complete and first_check.unchanged)
        self.assertEqual(first_check.signed, 5)
        check = protocol_check(regular)
        self.assertTrue(check.unchanged)
        self.assertEqual(check.signed, 4)
        self.assertEqual([m.member.username for m in check.missing], ["parent"])
        self.assertLessEqual(regular.meeting.held_on, timezone.localdate())
        self.assertGreater(regular.meeting.held_on, first.meeting.held_on)
        upcoming = Meeting.objects.for_school(school).upcoming().get()
        self.assertGreater(upcoming.held_on, timezone.localdate())
        self.assertEqual(upcoming.place, "12-кабинет")

    def test_the_demo_dashboard_shows_the_missing_signature(self):
        from django.conf import settings
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from trustbox.accounts.models import User

        demo_create()
        chair = User.objects.get(username="chair")
        self.client.force_login(chair)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=chair).persistent_id
        session.save()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.get("/s/myrzakmatov/")
        self.assertContains(response, "Protocol № 2: one signature is missing.")
        self.assertContains(response, "Осмонов Бакыт Каныбекович")
        self.assertContains(response, "Next meeting:")


class DemoWalkthroughTestCase(TestCase):
    """Steps 6 to 8 of the walkthrough, played on the demo school through the services."""

    def test_the_demo_appeals_are_opened_registered_answered_and_the_writer_writes_back(self):
        from trustbox.accounts.models import User
        from trustbox.audit.services import audit_verify
        from trustbox.box.services import appeal_find_by_receipt
        from trustbox.demo.builders import demo_receipt_path
        from trustbox.openings.gathering import opening_code, opening_join, opening_start
        from trustbox.openings.services import opening_open
        from trustbox.registry import consideration, keys, services
        from trustbox.registry.models import Appeal, Status
        from trustbox.registry.writer import writer_message_add, writer_view

        # A data directory of its own: another test process may make the demo at the same time.
        data_dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, data_dir)
        with self.settings(DATA_DIR=data_dir):
            school = demo_create()
            code = demo_receipt_path().read_text()
        people = {user.username: user for user in User.objects.all()}
        opening, key = opening_start(school=school, by=people["chair"])
        for login in ("chair", "secretary", "psychologist"):
            opening_join(
                opening=opening,
                member=people[login],
                password=DEMO_PASSWORD,
                session_code=opening_code(opening),
            )
        opened = opening_open(opening=opening, by=people["chair"], browser_key=key)

        responsible = people["responsible"]
        registry_private = keys.registry_unlock(
            school=school, user=responsible, password=DEMO_PASSWORD
        )
        # The walkthrough's four appeals (the demo's earlier quarters are registered already).
        for appeal in Appeal.objects.filter(opening=opened).order_by("number_in_act"):
            services.appeal_register(
                appeal=appeal,
                by=responsible,
                registry_private=registry_private,
                kind=appeal.kind,
                category=appeal.category,
                urgent=appeal.urgent,
            )
        serials = sorted(
            serial
            for serial in Appeal.objects.filter(opening=opened).values_list("serial", flat=True)
            if serial is not None
        )
        self.assertEqual(serials, list(range(serials[0], serials[0] + 4)))
        bullying = Appeal.objects.get(opening=opened, category="bullying")
        case_private = keys.case_private_from_personal(
            appeal=bullying,
            user=responsible,
            personal=keys.personal_key_unlock(user=responsible, password=DEMO_PASSWORD),
        )
        services.appeal_assign(
            appeal=bullying, to=people["psychologist"], by=responsible, case_private=case_private
        )
        consideration.appeal_reply(
            appeal=bullying,
            by=people["psychologist"],
            text="Сени угуп турабыз. Психологго кел.",
            channel="receipt",
        )

        found = appeal_find_by_receipt(school=school, code=code)
        conversation = writer_view(found=found).messages
        self.assertEqual(
            [message.text for message in conversation], ["Сени угуп турабыз. Психологго кел."]
        )
        writer_message_add(found=found, text="Азыр жакшы болуп калды.")
        # Issue 21: her message reopens nothing; the responsible person decides.
        self.assertEqual(Appeal.objects.get(pk=bullying.pk).status, Status.ANSWERED)
        self.assertEqual(audit_verify(school=school), [])


class DemoReportTestCase(TestCase):
    """Issue 13 on the demo: the last quarter's report ready, the district side by side."""

    def test_the_last_quarters_report_is_finalised_and_made_and_one_school_has_not_reported(self):
        from django.utils import timezone

        from trustbox.reports.district import district_view
        from trustbox.reports.models import Job, Report
        from trustbox.reports.selectors import report_status
        from trustbox.schools.periods import Quarter

        data_dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, data_dir)
        with self.settings(DATA_DIR=data_dir):
            school = demo_create()
        last = Quarter.of(timezone.localdate()).previous()
        status = report_status(school, last)
        self.assertTrue(status.prepared and status.signed)
        report = Report.objects.get(school=school, start=last.start)
        self.assertEqual(report.figures["total"], 9)
        self.assertEqual(report.figures["previous"]["total"], 0)
        self.assertEqual(report.jobs.order_by("-id").first().status, Job.Status.DONE)
        view = district_view(school.district, last)
        self.assertGreaterEqual(len(view.lines), 4)
        # The school with a commission since September and no report; № 3's commission came
        # after the deadline and Balasagyn has none: no report was owed of them (issue 21).
        self.assertEqual([line.school.slug for line in view.missing], ["osmonov"])

    def test_the_report_reads_in_both_languages_goes_on_an_agenda_and_turns_4_6_green(self):
        import subprocess

        from django.utils import timezone

        from trustbox.compliance.lines import Level, school_lines
        from trustbox.meetings.models import Meeting
        from trustbox.reports.models import Report
        from trustbox.reports.selectors import job_document, ready_job, report_status
        from trustbox.schools.periods import Quarter

        data_dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, data_dir)
        with self.settings(DATA_DIR=data_dir):
            school = demo_create()
        today = timezone.localdate()
        last = Quarter.of(today).previous()
        report = Report.objects.get(school=school, start=last.start, end=last.end)
        status = report_status(school, last)
        self.assertTrue(status.prepared and status.on_time and status.signed)
        meeting = Meeting.objects.for_school(school).upcoming().get()
        self.assertEqual(status.on_agenda, meeting.held_on)
        self.assertTrue(meeting.agenda.filter(kind="report", ref_id=report.pk).exists())
        (found,) = [line for line in school_lines(school, today=today) if line.key == "4.6"]
        self.assertEqual(found.level, Level.GREEN, found.reason)

        job = ready_job(report)
        expected = {
            "ky": ("боюнча аналитикалык отчет", "2026-жылдын", "Кварталда кайрылуулардын"),
            "ru": ("Аналитический отчёт об обращениях", " г.", "Кварталда кайрылуулардын"),
        }
        # The figures the analysis speaks of: 9 appeals, 3 of bullying, 2 urgent answered in
        # time, 1 answer late.
        figures = report.figures
        self.assertEqual((figures["total"], figures["by_category"]["bullying"]), (9, 3))
        self.assertEqual((figures["urgent"], figures["answers"]["late"]), (2, 1))
        for language, phrases in expected.items():
            pdf = job_document(job, language, "pdf")
            text = subprocess.run(
                ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
            ).stdout.decode()
            text = " ".join(text.split())
            self.assertIn(school.name, text)
            for phrase in phrases:
                self.assertIn(phrase, text, language)
            self.assertIsNotNone(job_document(job, language, "docx"))

    def test_the_demo_district_sees_its_schools_side_by_side_and_no_small_number(self):
        from django.conf import settings as django_settings
        from django.utils import timezone

        from trustbox.accounts.models import User
        from trustbox.reports.district import district_view
        from trustbox.schools.periods import Quarter

        data_dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, data_dir)
        with self.settings(DATA_DIR=data_dir):
            school = demo_create()
        last = Quarter.of(timezone.localdate()).previous()
        view = district_view(school.district, last)
        shown = [str(line.appeals) for line in view.lines] + [str(view.total)]
        for trend in (view.categories, view.kinds):
            shown += [str(cell) for _name, cells in trend.rows for cell in cells]
            shown += [str(cell) for cell in trend.totals]
        shown += [str(cell) for _title, lines in view.figures for _name, cell in lines]
        self.assertTrue(shown)
        for text in shown:
            self.assertNotIn(text, {"1", "2"})
        viewer = User.objects.get(username="district")
        self.client.force_login(viewer)
        session = self.client.session
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=viewer).persistent_id
        session.save()
        self.client.cookies.load({django_settings.LANGUAGE_COOKIE_NAME: "en"})
        page = self.client.get(f"/district/{school.district.slug}/analytics/?quarter={last}")
        self.assertContains(page, "Schools whose report is missing")
        self.assertContains(page, "<li>А. Осмонов атындагы гимназия</li>", html=True)
        self.assertContains(page, school.name)
        self.assertNotContains(page, "Асанова")


class DemoOneTruthTestCase(TestCase):
    """Issue 21, point 4: the demo's data obey the rules real data obey, and the district's
    compliance page, its analytics and every school's registry tell one story."""

    def test_every_school_reads_the_same_on_both_district_pages_and_in_its_registry(self):
        from django.conf import settings as django_settings
        from django.utils import timezone, translation
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from trustbox.accounts.models import User
        from trustbox.compliance.lines import district_rows
        from trustbox.compliance.tests.agreement import district_disagreements
        from trustbox.reports.district import district_view
        from trustbox.schools.periods import Quarter

        data_dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, data_dir)
        with self.settings(DATA_DIR=data_dir):
            school = demo_create()
        district, today = school.district, timezone.localdate()
        self.assertEqual(district_disagreements(district, today), [])
        with translation.override("en"):
            rows = {
                row.school.slug: {line.key: line.summary for line in row.lines}
                for row in district_rows(district, today=today)
            }
            view = district_view(district, Quarter.of(today).previous())
        # Each neighbour in a state of its own, built through the services.
        self.assertEqual(rows["balasagyn"]["4.1"], "no commission")
        self.assertEqual(rows["school-3"]["3.1"], "the box is not ready")
        self.assertEqual(rows["osmonov"]["4.6"], "report missed")
        self.assertEqual(rows["satylganov"]["3.1"], "opened; nothing waits")
        appeals = {line.school.slug: line.appeals for line in view.lines}
        self.assertEqual((appeals["balasagyn"], appeals["school-3"], appeals["osmonov"]), (0, 0, 0))
        self.assertGreater(appeals["satylganov"], 0)

        viewer = User.objects.get(username="district")
        self.client.force_login(viewer)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=viewer).persistent_id
        session.save()
        self.client.cookies.load({django_settings.LANGUAGE_COOKIE_NAME: "en"})
        compliance = self.client.get(f"/district/{district.slug}/")
        analytics = self.client.get(f"/district/{district.slug}/analytics/")
        for line in view.lines:
            summary = rows[line.school.slug]["4.6"]
            self.assertContains(compliance, summary)
            self.assertContains(analytics, summary)
