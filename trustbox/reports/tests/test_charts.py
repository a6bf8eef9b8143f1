"""The report's charts keep their legend, labels and title inside the picture."""

import io

import pytest
from django.test import SimpleTestCase
from PIL import Image

from trustbox.reports.charts import Chart, Series, chart_png, chart_svg

# Run on SQLite only (scripts/test.sh): pictures drawn, no database.
pytestmark = pytest.mark.database_independent

# The comparison columns as the Kyrgyz and Russian reports name them: the longest legends.
SERIES = {
    "ky": ("Ушул квартал", "Мурунку квартал", "Былтыркы ушул квартал"),
    "ru": ("Этот квартал", "Предыдущий квартал", "Тот же квартал прошлого года"),
    "en": ("This quarter", "Previous quarter", "Same quarter last year"),
}
LABELS = ("Травля (буллинг)", "Столовая и питание, медицинское обслуживание", "Другое")


def blank_edges(png: bytes) -> bool:
    """Is the outermost line of pixels on every side white: nothing drawn is cut off there?"""
    picture = Image.open(io.BytesIO(png)).convert("L")
    width, height = picture.size
    edges = [(0, 0, width, 1), (0, height - 1, width, height), (0, 0, 1, height)]
    edges.append((width - 1, 0, width, height))
    return all(picture.crop(box).getextrema() == (255, 255) for box in edges)


class ChartLegendTestCase(SimpleTestCase):
    def chart(self, language, series=3):
        names = SERIES[language][:series]
        return Chart(
            "Обращения по категориям",
            list(LABELS),
            [Series(name, [3 + n, 1, 12]) for n, name in enumerate(names)],
        )

    def test_the_legend_of_three_quarters_is_not_cut_off_in_any_language(self):
        for language in SERIES:
            with self.subTest(language=language):
                chart = self.chart(language)
                self.assertTrue(blank_edges(chart_png(chart)))
                svg = chart_svg(chart).decode()
                for name in SERIES[language]:
                    self.assertIn(name, svg)

    def test_a_chart_of_one_series_has_no_legend_and_fits_too(self):
        chart = self.chart("ru", series=1)
        self.assertTrue(blank_edges(chart_png(chart)))
        self.assertNotIn("legend", chart_svg(chart).decode())
