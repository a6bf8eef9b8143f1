"""The analytical report in words, in one language: shared by the page, the PDF and the DOCX.

Every sentence is built here from the figures (figures.py) and the responsible person's text;
report_layout.py lays it out as the document model (its PDF and its DOCX). Call inside
translation.override(language).
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.box.envelope import Category, Kind
from trustbox.lib.dates import long_date, one_period
from trustbox.registry.models import Outcome, Source, Status
from trustbox.reports.charts import Chart, Series, chart_svg
from trustbox.reports.figures import REFERRALS
from trustbox.schools.periods import Quarter

LABELS: dict[str, dict[str, Any]] = {
    "kind": dict(Kind.choices),
    "category": dict(Category.choices),
    "source": dict(Source.choices),
    "status": dict(Status.choices),
    "outcome": dict(Outcome.choices),
}


def label(dimension: str, code: str) -> str:
    return str(LABELS[dimension].get(code, code))


def language_now() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def day(value: datetime.date | str) -> str:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return long_date(value, language_now())


def period_name(start: datetime.date | str, end: datetime.date | str) -> str:
    """«the 3rd quarter of 2026 (2026-жылдын 1-июлу – …)», or the two days of another period."""
    start_day = datetime.date.fromisoformat(start) if isinstance(start, str) else start
    end_day = datetime.date.fromisoformat(end) if isinstance(end, str) else end
    days = _("%(start)s – %(end)s") % {"start": day(start_day), "end": day(end_day)}
    quarter = Quarter.exact(start_day, end_day)
    if quarter is None:
        return days
    return _("quarter %(number)d of %(year)d (%(days)s)") % {
        "number": quarter.number,
        "year": quarter.year,
        "days": days,
    }


def quarter_name(quarter: Quarter) -> str:
    return _("quarter %(number)d of %(year)d") % {"number": quarter.number, "year": quarter.year}


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # names of charts drawn for this section
    text: str = ""  # the responsible person's own words, kept as written


@dataclass
class ReportText:
    title: str
    school: str
    period: str
    sections: list[Section]
    signature_lines: list[str]
    charts: dict[str, Chart]
    footer: str = ""


def _n(value: Any) -> str:
    """A figure as the language writes it: 1,6 in Kyrgyz and Russian, 1.6 in English."""
    if value is None:
        return "—"
    return str(value).replace(".", ",") if language_now() in ("ky", "ru") else str(value)


def _tidy(text: str) -> str:
    """A sentence that ends on an abbreviation ("2026 г.") takes no second period."""
    return one_period(text)


def _rows(
    dimension: str, codes: list[str], *columns: dict[str, int], always: tuple[str, ...] = ()
) -> list[list[str]]:
    rows = []
    for code in codes:
        values = [column.get(code, 0) for column in columns]
        if any(values) or code in always:
            rows.append([label(dimension, code), *(str(v) for v in values)])
    return rows


def _comparison_columns(figures: dict[str, Any]) -> list[str]:
    quarter = Quarter.exact(
        datetime.date.fromisoformat(figures["start"]), datetime.date.fromisoformat(figures["end"])
    )
    if quarter is not None:
        return [_("This quarter"), _("Previous quarter"), _("Same quarter last year")]
    return [_("This period"), _("Previous period"), _("Same period last year")]


def report_text(
    *,
    school_name: str,
    figures: dict[str, Any],
    analysis: str,
    proposals: str,
    prepared_by: str,
    signed: list[tuple[str, datetime.datetime]] | None = None,
    fingerprint: str = "",
) -> ReportText:
    """Every sentence, table and chart of a school's report in the active language."""
    compare = _comparison_columns(figures)
    sections = [
        _received_section(figures, compare),
        _ways_section(figures),
        _work_section(figures),
        _deadlines_section(figures),
        _commission_section(figures),
        Section(_("6. Analysis of the responsible person"), text=analysis or _("Not written yet.")),
        Section(_("7. Proposals"), text=proposals or _("Not written yet.")),
    ]
    charts = _charts(figures, compare)
    return ReportText(
        title=_("Analytical report on the appeals received through the Trust Box"),
        school=school_name,
        period=_("For %(period)s") % {"period": period_name(figures["start"], figures["end"])},
        sections=sections,
        signature_lines=_signature_lines(prepared_by, signed, fingerprint),
        charts={name: chart for name, chart in charts.items() if chart.labels},
        footer=_("Regulation on the Trust Box, cl. 2.1 and 4.6."),
    )


def _received_section(figures: dict[str, Any], compare: list[str]) -> Section:
    """1. How many appeals came, by category and kind, beside the periods compared."""
    this, previous, last_year = figures, figures["previous"], figures["last_year"]
    total = figures["total"]
    received = Section(_("1. Appeals received"))
    received.paragraphs.append(
        ngettext(
            "%(total)d appeal came into the box in this period (the previous period: "
            "%(previous)d; the same period a year before: %(last_year)d).",
            "%(total)d appeals came into the box in this period (the previous period: "
            "%(previous)d; the same period a year before: %(last_year)d).",
            total,
        )
        % {"total": total, "previous": previous["total"], "last_year": last_year["total"]}
    )
    received.tables.append(
        Table(
            _("Appeals by category"),
            [_("Category"), *compare],
            [
                *_rows(
                    "category",
                    Category.values,
                    this["by_category"],
                    previous["by_category"],
                    last_year["by_category"],
                ),
                [_("Total"), str(total), str(previous["total"]), str(last_year["total"])],
            ],
        )
    )
    received.tables.append(
        Table(
            _("Appeals by kind"),
            [_("Kind"), *compare],
            _rows("kind", Kind.values, this["by_kind"], previous["by_kind"], last_year["by_kind"]),
        )
    )
    received.charts = ["categories", "kinds"]
    return received


def _ways_section(this: dict[str, Any]) -> Section:
    """2. How the appeals came: the ways of writing, anonymous, signed, urgent."""
    ways = Section(_("2. How the appeals came"))
    ways.tables.append(
        Table(
            _("Appeals by way of writing"),
            [_("Way"), _("Appeals")],
            [
                *_rows("source", Source.values, this["by_source"], always=tuple(Source.values)),
                [_("anonymous"), str(this["anonymous"])],
                [_("signed"), str(this["signed"])],
                [_("urgent"), str(this["urgent"])],
            ],
        )
    )
    return ways


def _work_section(this: dict[str, Any]) -> Section:
    """3. Consideration and outcomes: statuses, outcomes and referrals."""
    work = Section(_("3. Consideration and outcomes"))
    work.tables.append(
        Table(
            _("Appeals by status"),
            [_("Status"), _("Appeals")],
            _rows("status", Status.values, this["by_status"]),
        )
    )
    work.tables.append(
        Table(
            _("Outcomes"),
            [_("Outcome"), _("Appeals")],
            _rows("outcome", Outcome.values, this["by_outcome"]),
        )
    )
    work.tables.append(
        Table(
            _("Referrals"),
            [_("Referred to"), _("Appeals")],
            _rows("outcome", list(REFERRALS), this["referrals"], always=tuple(REFERRALS)),
        )
    )
    work.charts = ["outcomes"]
    return work


def _deadlines_section(this: dict[str, Any]) -> Section:
    """4. Deadlines: registration within a working day of the opening, and the answers."""
    registration, answers = this["registration"], this["answers"]
    deadlines = Section(_("4. Deadlines"))
    deadlines.tables.append(
        Table(
            _("Registration (within one working day of the opening)"),
            [_("Figure"), _("Appeals")],
            [
                [_("registered"), str(registration["registered"])],
                [_("registered in time"), str(registration["in_time"])],
                [_("registered late"), str(registration["late"])],
                [_("waiting for registration"), str(registration["waiting"])],
                [_("of them past the deadline"), str(registration["overdue"])],
                [
                    _("days from the box to registration, on average"),
                    _n(registration["average_days"]),
                ],
                [_("days from the box to registration, at most"), _n(registration["max_days"])],
            ],
        )
    )
    deadlines.tables.append(
        Table(
            _("Answers"),
            [_("Figure"), _("Appeals")],
            [
                [_("answered"), str(answers["answered"])],
                [_("answered in time"), str(answers["in_time"])],
                [_("answered late"), str(answers["late"])],
                [_("waiting for an answer"), str(answers["open"])],
                [_("of them past the deadline"), str(answers["overdue"])],
                [
                    _("days from registration to the answer, on average"),
                    _n(answers["average_days"]),
                ],
                [_("days from registration to the answer, at most"), _n(answers["max_days"])],
            ],
            note=_tidy(_("As of %(date)s.") % {"date": day(this["as_of"])}),
        )
    )
    return deadlines


def _commission_section(this: dict[str, Any]) -> Section:
    """5. The commission's work: openings held, appeals taken out, meetings and protocols."""
    commission = Section(_("5. The commission's work"))
    openings, meetings = this["openings"], this["meetings"]
    commission.tables.append(
        Table(
            "",
            [_("Figure"), _("Number")],
            [
                [_("openings of the box held"), str(openings["held"])],
                [_("appeals taken out of the box at them"), str(openings["taken_out"])],
                [
                    _("meetings of the commission held"),
                    _("not yet counted") if meetings is None else str(meetings["held"]),
                ],
                [
                    _("protocols signed by all members"),
                    _("not yet counted") if meetings is None else str(meetings["protocols_signed"]),
                ],
            ],
        )
    )
    return commission


def _signature_lines(
    prepared_by: str, signed: list[tuple[str, datetime.datetime]] | None, fingerprint: str
) -> list[str]:
    """Who prepared the report, who signed it and when, the fingerprint, or that it is a draft."""
    signature_lines = [
        _("Prepared by the responsible person: %(name)s") % {"name": prepared_by},
    ]
    for name, when in signed or []:
        signature_lines.append(
            _tidy(
                _("Signed with a digital signature by %(name)s on %(date)s.")
                % {"name": name, "date": day(timezone.localtime(when).date())}
            )
        )
    if fingerprint:
        signature_lines.append(
            _("Fingerprint of the signed content: %(fingerprint)s")
            % {"fingerprint": fingerprint[:32]}
        )
    if not signed:
        signature_lines.append(_("Draft: not finalised and not signed."))
    return signature_lines


def _charts(figures: dict[str, Any], compare: list[str]) -> dict[str, Chart]:
    """The three charts, each over the codes that have appeals (empty ones are left out)."""
    this, previous, last_year = figures, figures["previous"], figures["last_year"]
    kinds_order = [code for code in Kind.values if this["by_kind"].get(code)]
    categories = [
        code
        for code in Category.values
        if this["by_category"].get(code)
        or previous["by_category"].get(code)
        or last_year["by_category"].get(code)
    ]
    outcomes = [code for code in Outcome.values if this["by_outcome"].get(code)]
    return {
        "categories": Chart(
            _("Appeals by category"),
            [label("category", code) for code in categories],
            [
                Series(name, [column["by_category"].get(code, 0) for code in categories])
                for name, column in zip(compare, (this, previous, last_year), strict=True)
            ],
        ),
        "kinds": Chart(
            _("Appeals by kind"),
            [label("kind", code) for code in kinds_order],
            [Series(compare[0], [this["by_kind"][code] for code in kinds_order])],
        ),
        "outcomes": Chart(
            _("Outcomes"),
            [label("outcome", code) for code in outcomes],
            [Series(compare[0], [this["by_outcome"][code] for code in outcomes])],
        ),
    }


# --- laying it out ---------------------------------------------------------------------------


def svg_data_uri(svg: bytes) -> str:
    """A chart as a data: address: shown by <img>, outside the page's style rules (CSP)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def charts_svg(text: ReportText) -> dict[str, bytes]:
    return {name: chart_svg(chart) for name, chart in text.charts.items()}
