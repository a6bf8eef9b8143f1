from trustbox.registry.models import Appeal
from trustbox.registry.selectors import UrgentFirst
from trustbox.registry.tests.helpers import RegistryTestCase


class UrgentFirstTestCase(RegistryTestCase):
    def test_every_slice_of_the_list_is_the_same_as_the_whole_list_cut(self):
        Appeal.objects.filter(pk=self.anonymous.pk).update(urgent=True)
        appeals = Appeal.objects.for_school(self.school)
        listed = UrgentFirst(
            urgent=appeals.filter(urgent=True).order_by("-id"),
            rest=appeals.filter(urgent=False).order_by("-id"),
        )
        whole = list(listed)
        self.assertEqual([a.pk for a in whole], [self.anonymous.pk, self.signed.pk])
        self.assertEqual(len(listed), 2)
        for start in range(4):
            for stop in (*range(start, 4), None):
                with self.subTest(start=start, stop=stop):
                    self.assertEqual(listed[start:stop], whole[start:stop])
        self.assertEqual(listed[1], whole[1])
