"""Issue 24, point 5: destroyed cases still count in the school's and the district's figures."""

from trustbox.registry.models import Appeal
from trustbox.reports.figures import appeals_between, cube, school_figures
from trustbox.reports.freeze import tallies_freeze
from trustbox.reports.publication import quarter_truth
from trustbox.retention.services import act_draw_up, act_sign
from trustbox.retention.tests.helpers import RetentionSteps
from trustbox.schools.models import School
from trustbox.schools.periods import Quarter
from trustbox.test import PASSWORD, BaseTestCase


class StatisticsSurviveDestructionTestCase(RetentionSteps, BaseTestCase):
    def figures(self, quarter):
        appeals = appeals_between(
            Appeal.objects.for_school(self.school), quarter.start, quarter.end
        )
        return (
            cube(appeals, as_of=quarter.end),
            school_figures(self.school, quarter.start, quarter.end, as_of=quarter.end),
        )

    def test_the_schools_figures_and_the_districts_frozen_counts_do_not_change(self):
        old, referred = self.cases["old"], self.cases["old_referred"]
        quarters = [Quarter.of(old.received_on), Quarter.of(referred.received_on)]
        # The district's quarter of the old case is frozen before; the other is counted after.
        tallies_freeze(
            schools=School.objects.filter(pk=self.school.pk), quarter=quarters[0], reason="test"
        )
        frozen = quarter_truth(quarters[0])
        before = [self.figures(quarter) for quarter in quarters]
        self.assertEqual(before[0][1]["total"], 2)  # the old case and the urgent one

        act = act_draw_up(meeting=self.decide(), by=self.responsible)
        for member in self.members:
            act = act_sign(act=act, member=member, password=PASSWORD)
        self.assertIsNotNone(act.destroyed_at)

        self.assertEqual([self.figures(quarter) for quarter in quarters], before)
        self.assertEqual(quarter_truth(quarters[0]).districts, frozen.districts)
        tallies_freeze(
            schools=School.objects.filter(pk=self.school.pk), quarter=quarters[1], reason="test"
        )
        counted = quarter_truth(quarters[1]).districts[self.district.pk]
        self.assertEqual(counted.schools[self.school.pk], 1)
        self.assertEqual(counted.kinds, {"complaint": 1})
