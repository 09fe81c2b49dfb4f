"""Pack budgets: the demo SMG pack under 1 s; one consortium's pack of each large hub within
1.2x reportlab's own time for the same pages; peak memory flat from 1 year of history to all.

Usage: python -m bench.pack [--scales 1,3,10] [--runs 5] [--keep DIR]

Every consortium of bench.generate's hubs has 10 contracts of 20 partners, so its pack has the
same pages at every scale while its history grows (3 years at 1x, 10 at 10x). For consortium 1
of each hub, at the last month of returns:

- the pack, `print_pack(consortium, month, path)` as `desta pack` makes it (gathering the
  figures, laying out and writing the PDF), against reportlab's own time for the same pages:
  the pack's flowables, recorded page by page as the pack placed them, built again into a PDF
  with plain reportlab (each page's tables as the plain `Table`s of that page, the running
  header and footer as plain strings): what the pages cost reportlab with no work of ours.
  The two are timed in turn, run after run, so that both see the same load;
- "of which gathering": the services' part alone (`smg_pack`);
- peak memory (tracemalloc) of the pack at the last month against the pack at the end of the
  hub's first year of returns (the same pages, one year of history).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.results import BenchResult, print_results
from bench.timing import hub_open, median_ms

PACK_RATIO_BUDGET = 1.2
MEMORY_RATIO_BUDGET = 1.25
CONSORTIUM = "Large Consortium 1"


def _peak_mib(action) -> float:
    action()
    tracemalloc.start()
    try:
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024)


def _one_page(folder: Path):
    from datetime import date

    from desta_tui.reports.document import build_pdf
    from desta_tui.reports.flowables import para

    def build() -> None:
        build_pdf(folder / "one-page.pdf", [para("One page.")], title="Baseline",
                  printed_on=date(2012, 11, 5), printed_by="bench")  # fmt: skip

    return build


def _pack(folder: Path, consortium: str | None, period: str, name: str):
    from desta_tui.reports.printing import print_pack

    def build() -> None:
        print_pack(consortium, period, folder / name, replace=True)

    return build


def _gather(consortium: str, period: str):
    from desta_tui.services.reporting.consortium import pack_period
    from desta_tui.services.reporting.smg_pack import smg_pack

    def gather() -> None:
        smg_pack(consortium, pack_period(period))

    return gather


def recorded_pages(consortium: str, period: str) -> list[tuple[str, list]]:
    """The pack's flowables as it placed them: per page, its template and what was drawn on it
    (page-sized pieces of the tables included)."""
    import io

    from desta_tui.reports import smg_pack as report
    from desta_tui.reports.document import ReportDocument
    from desta_tui.services.reporting.consortium import pack_period
    from desta_tui.services.reporting.smg_pack import smg_pack

    pages: list[tuple[str, list]] = []

    class Recording(ReportDocument):
        def afterFlowable(self, flowable) -> None:  # noqa: N802 (reportlab's name)
            if not pages or len(pages) < self.page:
                pages.append((self.pageTemplate.id, []))
            pages[-1][1].append(flowable)

    data = smg_pack(consortium, pack_period(period))
    doc = Recording(io.BytesIO(), title="SMG meeting pack", printed_on=data.stamp.printed_on,
                    printed_by=data.stamp.printed_by)  # fmt: skip
    doc.build(report.story(data))
    return pages


def plain_reportlab(pages: list[tuple[str, list]], path: Path):
    """Build the recorded pages again with plain reportlab: each page's flowables (a pack table's
    piece as the plain Table it is) on the same page size, header and footer as plain strings."""
    from reportlab.platypus import (
        ActionFlowable,
        BaseDocTemplate,
        CondPageBreak,
        Frame,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
    )

    from desta_tui.reports import document
    from desta_tui.reports.paged_table import PagedTable

    def plain(flowable):
        if isinstance(flowable, PagedTable):  # the last piece of a table draws itself
            return flowable._table(flowable.start, len(flowable.rows), 0, head=flowable._carried)
        return flowable

    story: list = []
    current = document.PORTRAIT
    for number, (template, drawn) in enumerate(pages):
        if template != current:
            story.append(NextPageTemplate(template))
            current = template
        if number:
            story.append(PageBreak())
        story += [
            plain(f) for f in drawn if not isinstance(f, (CondPageBreak, PageBreak, ActionFlowable))
        ]

    def decorate(canv, doc) -> None:
        width, height = canv._pagesize
        canv.setFont(document.DEFAULT_FONT, 9)
        canv.drawString(document.MARGIN, height - document.HEADER_TOP - 9, "SMG meeting pack")
        canv.drawRightString(width - document.MARGIN, height - document.HEADER_TOP - 9, CONSORTIUM)
        canv.line(document.MARGIN, height - document.TOP_MARGIN + 12, width - document.MARGIN,
                  height - document.TOP_MARGIN + 12)  # fmt: skip
        canv.drawString(document.MARGIN, document.FOOTER_BASELINE, "Printed on 15/04/2016")
        canv.drawRightString(width - document.MARGIN, document.FOOTER_BASELINE, f"Page {doc.page}")

    def template(template_id: str, size) -> PageTemplate:
        width, height = size
        frame = Frame(document.MARGIN, document.BOTTOM_MARGIN, width - 2 * document.MARGIN,
                      height - document.TOP_MARGIN - document.BOTTOM_MARGIN, leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip
        return PageTemplate(id=template_id, frames=[frame], onPage=decorate, pagesize=size)

    def build() -> None:
        doc = BaseDocTemplate(str(path), pagesize=document.PORTRAIT_SIZE)
        doc.addPageTemplates([
            template(document.PORTRAIT, document.PORTRAIT_SIZE),
            template(document.LANDSCAPE, document.LANDSCAPE_SIZE),
        ])  # fmt: skip
        doc.build(list(story))

    return build


def paired_median_ms(
    action: Callable[[], object], baseline: Callable[[], object], runs: int
) -> tuple[float, float]:
    """The median times of `runs` calls of each, taken in turn (action, baseline, action...)
    after one warm call of each: both see the same load on a busy machine, where timing all of
    one and then all of the other let the ratio swing by half with the load between them."""
    action()
    baseline()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for call, taken in ((action, times[0]), (baseline, times[1])):
            started = time.perf_counter()
            call()
            taken.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def measure(scale: float, folder: Path, runs: int) -> list[BenchResult]:
    """One consortium's pack of the open hub of `scale`, its baseline, gathering and memory."""
    from pypdf import PdfReader

    from bench.generate import LAST_MONTH, HubSize, scale_label

    label = scale_label(scale)
    years = HubSize.at(scale).years
    last = LAST_MONTH.key
    first_year = HubSize.at(scale).first_month.shift(11).key
    pack = _pack(folder, CONSORTIUM, last, f"pack-{label}.pdf")
    recorded = recorded_pages(CONSORTIUM, last)
    took, plain = paired_median_ms(
        pack, plain_reportlab(recorded, folder / f"plain-{label}.pdf"), max(runs, 5)
    )
    pages = len(PdfReader(folder / f"pack-{label}.pdf").pages)
    plain_pages = len(PdfReader(folder / f"plain-{label}.pdf").pages)
    assert plain_pages == pages, f"the plain build has {plain_pages} pages, the pack {pages}"
    print(f"the pack of {CONSORTIUM}: {pages} pages, {years} years of returns")
    gathering = median_ms(_gather(CONSORTIUM, last), runs)
    peak_all = _peak_mib(pack)
    peak_first = _peak_mib(_pack(folder, CONSORTIUM, first_year, f"pack-{label}-1y.pdf"))
    return [
        BenchResult("SMG pack of one consortium", took, plain,
                    ratio_budget=PACK_RATIO_BUDGET, baseline_name="plain reportlab, same pages",
                    scale=label),
        BenchResult("  of which gathering the figures (services)", gathering, took,
                    baseline_name="whole pack", scale=label),
        BenchResult("peak memory of the pack, all years vs the first", peak_all, peak_first,
                    unit="MiB", ratio_budget=MEMORY_RATIO_BUDGET,
                    baseline_name=f"1 year of {years}", scale=label),
    ]  # fmt: skip


def run(
    scales: Sequence[float] = (1,), runs: int = 5, folder: Path | None = None
) -> list[BenchResult]:
    """The figures; the databases and PDFs go in `folder`, or a temporary one removed after."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="desta-bench-") as temporary:
            return run(scales, runs, Path(temporary))
    from bench.generate import scale_label, shared_copy
    from desta_tui.services.demo import write_demo_database

    results: list[BenchResult] = []
    baseline = median_ms(_one_page(folder), runs)
    write_demo_database(str(folder / "demo.sqlite3"), force=True)
    with hub_open(folder / "demo.sqlite3", today=None):
        demo = median_ms(_pack(folder, None, "2012-10", "demo-pack.pdf"), runs)
    results.append(BenchResult("SMG pack, demo data", demo, baseline, figure_budget=1000,
                               baseline_name="one-page PDF"))  # fmt: skip
    for scale in scales:
        print(f"-- {scale_label(scale)} hub", flush=True)
        with hub_open(shared_copy(scale)):
            results += measure(scale, folder, max(1, runs // 2))
    return results


def main() -> None:
    from bench.__main__ import DEFAULT_SCALES, parse_scales

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=parse_scales, default=DEFAULT_SCALES)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep the PDFs in this folder")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    print_results(run(args.scales, args.runs, args.keep))


if __name__ == "__main__":
    main()
