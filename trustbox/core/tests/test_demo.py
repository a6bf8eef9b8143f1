import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from trustbox.accounts.access import Role, roles_in
from trustbox.commission.models import Commission
from trustbox.core.demo import DEMO_PASSWORD, demo_create


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
        self.assertEqual(demo_create(), school)
        self.assertEqual(Commission.objects.count(), 1)

    def test_the_demo_command_prints_the_address_and_the_logins(self):
        out = StringIO()
        call_command("demo", address="http://localhost:8000", stdout=out)
        text = out.getvalue()
        self.assertIn("http://localhost:8000/", text)
        self.assertIn(DEMO_PASSWORD, text)
        for login in ("director", "responsible", "chair", "secretary", "psychologist", "parent"):
            self.assertIn(login, text)
        code = StringIO()
        call_command("otpcode", stdout=code)
        self.assertRegex(code.getvalue().strip(), r"^\d{6}$")
        self.assertRegex(text, r"receipt code: \d{4}-\d{4}-\d{4}-\d{4}-\d{4}")


class DemoWalkthroughTestCase(TestCase):
    """Steps 6 to 8 of the walkthrough, played on the demo school through the services."""

    def test_the_demo_appeals_are_opened_registered_answered_and_the_writer_writes_back(self):
        from trustbox.accounts.models import User
        from trustbox.audit.services import audit_verify
        from trustbox.box.services import appeal_find_by_receipt
        from trustbox.core.demo import demo_receipt_path
        from trustbox.openings.services import (
            opening_code,
            opening_join,
            opening_open,
            opening_start,
        )
        from trustbox.registry import services
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
        opening_open(opening=opening, by=people["chair"], browser_key=key)

        responsible = people["responsible"]
        registry_private = services.registry_unlock(
            school=school, user=responsible, password=DEMO_PASSWORD
        )
        for appeal in Appeal.objects.for_school(school).order_by("number_in_act"):
            services.appeal_register(
                appeal=appeal,
                by=responsible,
                registry_private=registry_private,
                kind=appeal.kind,
                category=appeal.category,
                urgent=appeal.urgent,
            )
        year = Appeal.objects.first().year
        self.assertEqual(
            sorted(Appeal.objects.values_list("serial", flat=True)), [1, 2, 3, 4], year
        )
        bullying = Appeal.objects.get(category="bullying")
        case_private = services.case_private_from_personal(
            appeal=bullying,
            user=responsible,
            personal=services.personal_key_unlock(user=responsible, password=DEMO_PASSWORD),
        )
        services.appeal_assign(
            appeal=bullying, to=people["psychologist"], by=responsible, case_private=case_private
        )
        services.appeal_reply(
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
        self.assertEqual(Appeal.objects.get(pk=bullying.pk).status, Status.CONSIDERING)
        self.assertEqual(audit_verify(school=school), [])
