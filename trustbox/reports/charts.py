"""Charts of a report, drawn with matplotlib: SVG for the page and the PDF, PNG for the DOCX.

Only counts and our own labels go in (never an appeal's text: analytics have none). Readable
in black and white: greys with hatches, and every bar has its number written at its end.
No font is fetched: matplotlib's own DejaVu Sans (the same as the documents'). matplotlib
writes its cache in MPLCONFIGDIR: a private folder of this process, never the home folder.
"""

from __future__ import annotations

import atexit
import functools
import io
import os
import shutil
import tempfile
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@functools.cache
def _matplotlib() -> Any:
    """matplotlib, imported at the first chart: a web worker that draws none stays 40 MB lighter.

    Its cache goes to a private folder of this process, never the home folder.
    """
    if "MPLCONFIGDIR" not in os.environ:
        config = tempfile.mkdtemp(prefix="trustbox-mpl-")
        os.environ["MPLCONFIGDIR"] = config
        atexit.register(shutil.rmtree, config, True)
    import matplotlib

    matplotlib.use("Agg")
    return matplotlib


# Figures are made without pyplot (no global state), but matplotlib's font cache and rcParams
# are shared: one chart at a time per process.
_lock = threading.Lock()
FILLS = ("#ffffff", "#bdbdbd", "#6e6e6e")
HATCHES = ("///", "xx", "")
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "none",  # text stays text: smaller, and searchable
    "svg.hashsalt": "trustbox",  # the same chart gives the same file
    "hatch.linewidth": 0.6,
    "axes.edgecolor": "#000000",
}


# No date, no creator, no RDF block: the file holds the chart and nothing else.
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]


@dataclass(frozen=True)
class Chart:
    title: str
    labels: Sequence[str]
    series: Sequence[Series]


def _figure(chart: Chart) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows = max(len(chart.labels), 1)
    lines = len(chart.series)
    # A legend of several series takes a line each under the bars.
    legend = 0.15 + 0.2 * lines if lines > 1 else 0
    height = 1.1 + rows * (0.22 + 0.16 * lines) + legend
    # Constrained layout keeps the legend, the labels and the title inside the picture.
    figure = Figure(figsize=(6.4, height), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    count = len(chart.series)
    bar = 0.8 / max(count, 1)
    top = max((max(s.values, default=0) for s in chart.series), default=0)
    for index, series in enumerate(chart.series):
        positions = [r + (index - (count - 1) / 2) * bar for r in range(len(chart.labels))]
        bars = axes.barh(
            positions,
            series.values,
            height=bar * 0.92,
            color=FILLS[index % len(FILLS)],
            edgecolor="#000000",
            linewidth=0.6,
            hatch=HATCHES[index % len(HATCHES)],
            label=series.label,
        )
        axes.bar_label(bars, padding=2, fontsize=8)
    axes.set_yticks(range(len(chart.labels)), [textwrap.fill(label, 24) for label in chart.labels])
    axes.invert_yaxis()
    axes.set_xlim(0, max(top * 1.15, 1))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(chart.title, loc="left", fontsize=10, fontweight="bold")
    if count > 1:
        # One series a line, under the chart: "Same quarter last year" in Russian is long.
        figure.legend(loc="outside lower left", ncol=1, fontsize=8, frameon=False)
    return figure


def chart_svg(chart: Chart) -> bytes:
    """The chart as a small SVG file."""
    with _lock, _matplotlib().rc_context(cast(Any, STYLE)):
        buffer = io.BytesIO()
        _figure(chart).savefig(buffer, format="svg", metadata=SVG_METADATA)
        return buffer.getvalue()


def chart_png(chart: Chart, *, dpi: int = 150) -> bytes:
    """The chart as a PNG picture, for Word documents (which do not take SVG)."""
    with _lock, _matplotlib().rc_context(cast(Any, STYLE)):
        buffer = io.BytesIO()
        _figure(chart).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()
