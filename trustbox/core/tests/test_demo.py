from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from trustbox.commission.models import Commission
from trustbox.core.demo import DEMO_PASSWORD, demo_create
from trustbox.schools.roles import Role, roles_in


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
