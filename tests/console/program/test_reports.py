"""Downloads and the printable report hold what the pages show, de-identified."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from console.program.coverage_figures import supervision_coverage
from console.program.reports import (
    Table,
    definitions,
    monthly_report_html,
    overview_tables,
    supervision_tables,
    workload_tables,
)
from console.program.wellness_figures import TOTAL, program_overview
from console.program.workload_figures import workload
from console.web import lead_charts
from scoring import release as rule
from tests.console.program.test_program import add_pulse, add_session, three_teams  # noqa: F401  (fixture)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_holds_every_row_as_shown_without_identifying_columns():
    table = Table("people", "People", ("peer", "team", "caseload", "note"),
                  (("Ana Ruiz", "Court", 31, ""), ("Bo Li", "Court", None, "suppressed: fewer than 5 peers")),
                  identifying=("peer",))
    assert _rows(table.csv()) == [["team", "caseload", "note"], ["Court", "31", ""],
                                  ["Court", "", "suppressed: fewer than 5 peers"]]
    assert table.frame()["peer"].tolist() == ["Ana Ruiz", "Bo Li"]
    assert table.download()["file_name"] == "people.csv"



def test_csv_starts_with_the_utf8_byte_order_mark_so_spreadsheets_read_accents_and_dashes():
    from console.program.reports import csv_bytes

    table = Table("people", "People", ("name", "range"), (("Núñez", "20–30"),))
    data = table.csv()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8").splitlines() == ["name,range", "Núñez,20–30"]
    assert csv_bytes(data) == data
    assert csv_bytes("a,b\r\n") == b"\xef\xbb\xbfa,b\r\n"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cells(table: Table) -> list[str]:
    return _rows(table.csv())[1][1:]


@given(text=st.text(max_size=40), prefix=st.sampled_from(FORMULA_STARTS))
def test_text_that_a_spreadsheet_would_run_is_written_as_text(text, prefix):
    team = prefix + text
    table = Table("t", "T", (prefix + "column", "team", "caseload"), ((team, team, -3),))
    header, row = _rows(table.csv())
    for cell, original in ((header[0], prefix + "column"), (row[0], team), (row[1], team)):
        is_number = re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", original) is not None
        if is_number:
            assert cell == original
        else:
            assert cell == "'" + original
            assert not cell.startswith(FORMULA_STARTS)
    assert row[2] == "-3"


def test_known_formula_injections_are_neutralised_and_numbers_are_kept():
    attacks = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
    table = Table("t", "T", ("a",) * (len(attacks) + 3), ((*attacks, -3, -2.5, "-3"),))
    cells = _rows(table.csv())[1]
    assert cells[:len(attacks)] == ["'" + attack for attack in attacks]
    assert cells[len(attacks):] == ["-3", "-2.5", "-3"]


def _lead_views(session, world):
    for peer in world.program_peers:
        add_pulse(session, peer, world.today - timedelta(days=7), caseload=27, hours=40, callouts=1)
    add_session(session, world.supervisor, [world.peer], world.today - timedelta(days=5))
    on = world.today
    return (program_overview(session, actor=world.lead, on=on), workload(session, actor=world.lead, on=on),
            supervision_coverage(session, actor=world.lead, on=on))


def test_downloads_keep_the_suppression_and_name_nobody(session, world, three_teams):  # noqa: F811
    world.program_peers = [peer for peers in three_teams.values() for peer in peers]
    overview, load, coverage = _lead_views(session, world)
    names = {peer.display_name for peer in world.program_peers} | {f"{world.supervisor.display_name},"}
    tables = (*overview_tables(overview), *workload_tables(load), *supervision_tables(coverage))
    for table in tables:
        rows = _rows(table.csv())
        assert rows[0] == list(table.download_columns())
        assert len(rows) == len(table.rows) + 1
        text = table.csv().decode("utf-8-sig")
        assert not any(name in text for name in names), table.key
        for value in ("47.3", "13.9", "44.7"):
            assert value not in text
    wellness = _rows(overview_tables(overview)[1].csv())
    reentry = [row for row in wellness if row[0] == "Reentry"]
    assert reentry and all(row[2] == f"withheld: {rule.POOLED_REASON}" for row in reentry)
    assert all(cell == "—" for row in reentry for cell in row[3:])


def test_monthly_report_is_self_contained_and_de_identified(session, world, three_teams):  # noqa: F811
    world.program_peers = [peer for peers in three_teams.values() for peer in peers]
    overview, load, coverage = _lead_views(session, world)
    page = monthly_report_html(prepared_on=world.today, overview=overview, workload=load, coverage=coverage)
    assert "Test program: program report, October 2026" in page
    assert page.count("<svg") >= 6
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")
    for term, _ in definitions(overview):
        assert term in page
    assert "low ≤ 22, moderate in between, high ≥ 42" in page
    assert f"withheld: {rule.POOLED_REASON}" in page
    for person in world.program_peers:
        assert person.display_name not in page
    assert f"<td>{world.supervisor.display_name}</td>" not in page
    for value in ("47.3", "13.9", "44.7"):
        assert value not in page
    assert overview.latest_month == date(2026, 10, 1)


def test_charts_and_their_tooltips_carry_only_shown_figures(session, world, three_teams):  # noqa: F811
    world.program_peers = [peer for peers in three_teams.values() for peer in peers]
    overview, _, coverage = _lead_views(session, world)
    charts = [
        *(lead_charts.scale_trend(trend, teams=["Reentry", "Overdose response", "Court", TOTAL])
          for trend in overview.trends),
        *(lead_charts.median_heatmap(trend) for trend in overview.trends),
        lead_charts.exposures_heatmap(overview),
        lead_charts.function_balance(coverage),
        lead_charts.sessions_by_kind(coverage),
    ]
    for chart in charts:
        spec = json.dumps(chart.to_dict())
        for value in ("47.3", "13.9", "44.7"):
            assert value not in spec
        assert not any(peer.display_name in spec for peer in world.program_peers)
    heatmap = json.dumps(lead_charts.median_heatmap(overview.trend("burnout")).to_dict())
    assert f"withheld: {rule.POOLED_REASON}" in heatmap


def test_printed_monthly_report_opens_on_the_key_figures_and_keeps_headings_with_their_content(
        session, world, three_teams):  # noqa: F811
    world.program_peers = [peer for peers in three_teams.values() for peer in peers]
    overview, load, coverage = _lead_views(session, world)
    page = monthly_report_html(prepared_on=world.today, overview=overview, workload=load, coverage=coverage)
    key_figures = page.index('<section class="key-figures">')
    assert key_figures < page.index('<section class="charts">') < page.index('<section class="definitions">')
    first_page = page[key_figures:page.index('<section class="charts">')]
    assert "Participation" in first_page and "<table>" in first_page
    assert "break-after: avoid" in page and "break-inside: avoid" in page
    assert "section.charts, section.definitions { break-before: page" in page
    assert "section { break-before: page; }" not in page
    assert page.count("<figure>") == 6 and page.count('<div class="table"><h3>') >= 6
