"""Tables, downloads and the printable monthly report for the program lead pages.

Pages show `Table.frame()` and offer `Table.csv()`, both built from the same rows,
so a download holds exactly what the page shows, suppression included. Columns
that name a person (`identifying`) are shown on the page to a lead who may see
them and left out of every download, which is de-identified.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import altair as alt
import pandas as pd

from console.core.i18n import _, current_language, show_date, show_month
from console.program import words
from console.program.coverage_figures import SupervisionCoverage
from console.program.wellness_figures import POOL, TOTAL, ProgramOverview, ScaleTrend
from console.program.workload_figures import ReleasedMonthWorkload, WeekWorkload, Workload
from console.web import charts, lead_charts
from db.models import SUPERVISION_FUNCTIONS
from scoring import release as rule

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    identifying: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return f"{self.key}.csv"

    def frame(self) -> pd.DataFrame:
        """The rows as shown; a column holding both words ("—", a range) and numbers is shown as text."""
        frame = pd.DataFrame(list(self.rows), columns=list(self.columns), dtype=object)
        for column in frame.columns:
            values = [value for value in frame[column] if value is not None]
            if any(isinstance(value, str) for value in values) and not all(isinstance(value, str) for value in values):
                frame[column] = [None if value is None else str(_csv_cell(value)) for value in frame[column]]
        return frame

    def download(self) -> dict[str, Any]:
        """Arguments for `ui.private_download` offering this table's CSV, written when the button is clicked."""
        return {"label": _("Download {file_name}", file_name=self.file_name), "data": self.csv, "file_name": self.file_name,
                "mime": "text/csv", "key": f"download_{self.key}", "icon": ":material/download:"}

    def download_columns(self) -> tuple[str, ...]:
        return tuple(column for column in self.columns if column not in self.identifying)

    def csv(self) -> bytes:
        """The de-identified download: every column but the identifying ones, every row, as shown.

        Lines end in CRLF (RFC 4180), so the writer quotes any cell holding a carriage return.
        """
        keep = [index for index, column in enumerate(self.columns) if column not in self.identifying]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([_csv_cell(self.columns[index]) for index in keep])
        for row in self.rows:
            writer.writerow([_csv_cell(row[index]) for index in keep])
        return csv_bytes(out.getvalue())


def csv_bytes(content: str | bytes) -> bytes:
    """CSV as every download hands it over: UTF-8 with a byte order mark, so spreadsheet programs read
    "Núñez" and "20–30" as written. Content that already starts with the mark is left as it is."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return data if data.startswith(codecs.BOM_UTF8) else codecs.BOM_UTF8 + data


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _csv_cell(value: Cell) -> Cell:
    """A cell as written to CSV. Text that a spreadsheet would run as a formula (it starts with one of
    FORMULA_STARTS) gets a leading apostrophe, so it shows as typed; numbers, and text that is just a
    number such as "-3", stay numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _percent(share: float | None) -> int | None:
    return None if share is None else round(100 * share)


def _or_words(value: Cell, words: str) -> Cell:
    return words if value is None else value


def _one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


WITHHELD = "—"
"""What a withheld cell shows; the reason is in the row's note (and in the chart's tooltip)."""


def _note(reason: str | None) -> str:
    return words.withheld_note(reason)


def _shown(value: Cell, reason: str | None) -> Cell:
    return WITHHELD if reason is not None else value


def _count(count: rule.Count | None, reason: str | None) -> Cell:
    if reason is not None or count is None:
        return WITHHELD
    return count.exact if count.exact is not None else words.count(count)


def _coded_percent(share: float | None, count: rule.Count | None, reason: str | None) -> Cell:
    if reason is not None or count is None:
        return WITHHELD
    return _percent(share) if count.exact is not None else _("range only")


def participation_table(overview: ProgramOverview) -> Table:
    return Table(
        "participation",
        _("Participation in {month}", month=show_month(overview.latest_month)),
        (_("team"), _("note"), _("peers"), _("checked in"), _("checked in (%)"), _("self-assessed"),
         _("self-assessed (%)")),
        tuple(
            (words.group(row.team), _note(row.suppressed_reason), _shown(row.peers, row.suppressed_reason),
             _count(row.checked_in, row.suppressed_reason),
             _coded_percent(row.checked_in_share, row.checked_in, row.suppressed_reason),
             _count(row.assessed, row.suppressed_reason),
             _coded_percent(row.assessed_share, row.assessed, row.suppressed_reason))
            for row in overview.participation
        ),
    )


def _figure_cells(figure) -> tuple[Cell, ...]:
    reason = figure.suppressed_reason
    quarter = getattr(figure, "quarter", None)
    note = _note(reason) if quarter is None else (
        f"the quarter {quarter.year}-Q{(quarter.month - 1) // 3 + 1}: the group alone was withheld for the month")
    return (note, _shown(figure.peers, reason), _shown(_one_decimal(figure.median), reason),
            _shown(_one_decimal(figure.q1), reason), _shown(_one_decimal(figure.q3), reason),
            _count(figure.high, reason), _coded_percent(figure.high_share, figure.high, reason))


def pooling_table(overview: ProgramOverview) -> Table:
    return Table(
        "pooled_teams",
        _("Teams counted in {pool}, {month}", pool=words.group(POOL), month=show_month(overview.latest_month)),
        (_("team"), _("why")),
        tuple((team, words.reason(rule.POOLED_REASON)) for team in overview.pooled),
    )


def wellness_table(overview: ProgramOverview) -> Table:
    rows = []
    for trend in overview.trends:
        for figure in trend.for_month(overview.latest_month):
            rows.append((words.group(figure.team), trend.label, *_figure_cells(figure)))
    return Table(
        "wellness_latest_month",
        _("Wellness in {month}", month=show_month(overview.latest_month)),
        (_("team"), _("scale"), _("note"), _("peers"), _("median"), _("lower quartile"), _("upper quartile"),
         _("in high band"), _("in high band (%)")),
        tuple(rows),
    )


def trend_table(trend: ScaleTrend) -> Table:
    return Table(
        f"{trend.scale}_by_month",
        _("{scale} by team and month", scale=trend.label),
        (_("team"), _("month"), _("note"), _("peers"), _("median"), _("lower quartile"), _("upper quartile"),
         _("in high band"), _("in high band (%)")),
        tuple((words.group(figure.team), f"{figure.month:%Y-%m}", *_figure_cells(figure)) for figure in trend.figures),
    )


def exposures_table(overview: ProgramOverview) -> Table:
    months = overview.months
    by_team: dict[str, dict[date | None, str]] = {}
    notes: dict[str, list[str]] = {}
    for cell in overview.exposures:
        if cell.suppressed_reason is not None:
            shown = WITHHELD
            reasons = notes.setdefault(cell.team, [])
            if cell.suppressed_reason not in reasons:
                reasons.append(cell.suppressed_reason)
        elif not cell.reported:
            shown = _("no check-ins")
        else:
            shown = str(cell.exposures)
        by_team.setdefault(cell.team, {})[cell.month] = shown
    return Table(
        "exposures_by_month",
        _("Exposures reported per team and month"),
        (_("team"), _("note"), *(f"{month:%Y-%m}" for month in months), _("sum of the months shown")),
        tuple((words.group(team), "; ".join(words.withheld_note(reason) for reason in notes.get(team, [])),
               *(cells[month] for month in months), cells[None]) for team, cells in by_team.items()),
    )


def alerts_table(overview: ProgramOverview) -> Table:
    return Table("team_alerts", _("Team alerts"), (_("team"), _("alert")),
                 tuple((words.group(alert.team), alert.message) for alert in overview.alerts))


def overview_tables(overview: ProgramOverview) -> tuple[Table, ...]:
    return (participation_table(overview), wellness_table(overview), trend_table(overview.chosen_trend),
            exposures_table(overview), alerts_table(overview), pooling_table(overview))


def _measure(value: Cell | None, row_reason: str | None) -> Cell:
    """A measure of a released row: withheld (—) when its figure is, "not reported" when nobody reported it."""
    if value is None:
        return WITHHELD if row_reason is not None else _("not reported")
    return value


def _week_columns(high: int) -> tuple[str, ...]:
    return (_("peers"), _("checked in"), _("median caseload"), _("lower quartile"), _("upper quartile"),
            _("above {high}", high=high), _("median hours"), _("after-hours call-outs"),
            _("hours outside the peer role"), _("peers with hours outside the role"), _("note"))


def _week_cells(row: WeekWorkload) -> tuple[Cell, ...]:
    reason = row.suppressed_reason
    return (_measure(row.peers, reason), _measure(_count_or_none(row.checked_in), reason),
            _measure(_one_decimal(row.median_caseload), reason), _measure(_one_decimal(row.caseload_q1), reason),
            _measure(_one_decimal(row.caseload_q3), reason), _measure(_count_or_none(row.above_range), reason),
            _measure(_one_decimal(row.median_hours), reason), _measure(row.callouts, reason),
            _measure(row.hours_outside_role, reason), _measure(_count_or_none(row.peers_outside_role), reason),
            _note(reason))


def _count_or_none(count: rule.Count | None) -> Cell | None:
    if count is None:
        return None
    return count.exact if count.exact is not None else words.count(count)


def team_workload_table(workload: Workload) -> Table:
    week = workload.latest_week
    return Table(
        "workload_per_team",
        _("Workload per team, week of {day}, as released", day=show_date(week)) if week is not None
        else _("Workload per team"),
        (_("team"), *_week_columns(workload.caseload_guideline[1])),
        tuple((words.group(row.team), *_week_cells(row)) for row in workload.teams),
    )


def weekly_workload_table(workload: Workload) -> Table:
    return Table(
        "workload_by_week",
        _("Workload per team and week, as released"),
        (_("team"), _("week of"), *_week_columns(workload.caseload_guideline[1])),
        tuple((words.group(row.team), row.week.isoformat(), *_week_cells(row))
              for row in sorted(workload.weeks, key=lambda row: (row.team, row.week))),
    )


def released_workload_table(released: ReleasedMonthWorkload) -> Table:
    return Table(
        "caseload_released_month",
        _("Caseload in {month}, as released", month=show_month(released.month)),
        (_("team"), _("peers"), _("median caseload"), _("lower quartile"), _("upper quartile"),
         _("peers above {high}", high=released.guideline_max), _("note")),
        tuple((words.group(row.team), _shown(row.peers, row.reason if row.peers is None else None),
               _shown(_one_decimal(row.median), row.reason), _shown(_one_decimal(row.q1), row.reason),
               _shown(_one_decimal(row.q3), row.reason), _count(row.above_range, row.reason), _note(row.reason))
              for row in released.rows),
    )


def workload_tables(workload: Workload) -> tuple[Table, ...]:
    return team_workload_table(workload), weekly_workload_table(workload)


def coverage_table(coverage: SupervisionCoverage) -> Table:
    rows = [*coverage.teams, *([coverage.total] if coverage.total is not None and coverage.whole_program else [])]
    month = coverage.latest_month
    return Table(
        "supervision_coverage",
        _("Supervision coverage per team in {month}, as released", month=show_month(month)) if month is not None
        else _("Supervision coverage per team"),
        (_("team"), _("peers"), _("at a session in the month"), _("at a session in the month (%)"),
         _("without supportive supervision in the month"), _("individual sessions"), _("group sessions"),
         *(_("{function} (%)", function=lead_charts.function_name(function)) for function in SUPERVISION_FUNCTIONS),
         _("note")),
        tuple(
            (words.group(team.team), _shown(team.peers, None if team.peers is not None else team.reason),
             _count(team.supervised, None), _coded_percent(team.supervised_share, team.supervised, None),
             _count(team.without_supportive, None), _or_words(team.individual_sessions, WITHHELD),
             _or_words(team.group_sessions, WITHHELD),
             *(_shown(_or_words(_percent(team.function_shares[function]), _("no minutes")),
                      None if team.minutes or team.reason is None else team.reason)
               for function in SUPERVISION_FUNCTIONS),
             _note(team.reason))
            for team in rows
        ),
    )


def monthly_sessions_table(coverage: SupervisionCoverage) -> Table:
    counts: dict[tuple[date, str], dict[str, Cell]] = {}
    reasons: dict[tuple[date, str], list[str]] = {}
    for row in coverage.month_cells:
        counts.setdefault((row.month, row.team), {})[row.kind] = _or_words(row.sessions, WITHHELD)
        if row.reason:
            reasons.setdefault((row.month, row.team), []).append(row.reason)
    return Table(
        "supervision_sessions_by_month",
        _("Supervision sessions by month, as released"),
        (_("month"), _("team"), _("individual"), _("group"), _("note")),
        tuple((f"{month:%Y-%m}", words.group(team), kinds.get("individual", 0), kinds.get("group", 0),
               _note("; ".join(dict.fromkeys(reasons.get((month, team), [])))))
              for (month, team), kinds in sorted(counts.items())),
    )


def supervisor_loads_table(coverage: SupervisionCoverage) -> Table:
    month = coverage.latest_month
    return Table(
        "supervisor_loads",
        _("Supervisor loads in {month}, as released", month=show_month(month)) if month is not None
        else _("Supervisor loads"),
        (_("supervisor"), _("peers at their sessions"), _("sessions"), _("group sessions"), _("minutes"),
         _("supportive minutes"), _("note")),
        tuple(
            (load.supervisor, _shown(load.peers, load.reason), _shown(load.sessions, load.reason),
             _shown(load.group_sessions, load.reason), _shown(load.minutes, load.reason),
             _shown(load.supportive_minutes, load.reason), _note(load.reason))
            for load in coverage.supervisors
        ),
        identifying=(_("supervisor"),),
    )


def supervision_tables(coverage: SupervisionCoverage) -> tuple[Table, ...]:
    return coverage_table(coverage), monthly_sessions_table(coverage), supervisor_loads_table(coverage)


def definitions(overview: ProgramOverview) -> tuple[tuple[str, str], ...]:
    """What each figure means, in the words of docs/scoring.md."""
    settings = overview.settings
    low, high = settings.caseload_guideline
    bands = "; ".join(
        _("{scale}: low ≤ {low_max}, moderate in between, high ≥ {high_min} ({direction})", scale=trend.label,
          low_max=f"{trend.low_max:g}", high_min=f"{trend.high_min:g}",
          direction=_("higher is better") if trend.higher_is_better else _("higher is worse"))
        for trend in overview.trends
    )
    pool = words.group(POOL)
    return (
        (_("Released figures"), _("Figures are released once, when a calendar month closes, and never recomputed, so "
                                  "they do not change after they are shown. A check-in sent after its month closed "
                                  "counts in the month it was sent.")),
        (_("Withheld cells (—)"), _("A figure built from fewer than {k} distinct peers (the program's "
                                    "anonymity threshold k) is withheld and says why. What the shown figures of a "
                                    "line leave over (the total minus the teams shown) must itself rest on k peers, "
                                    "so a withheld team cannot be worked out by subtracting; another team is "
                                    "withheld when needed. Your own data and that of people you supervise never "
                                    "count toward k for you. Every lead sees the same figure for a team.",
                                    k=overview.k)),
        (pool, _("Teams with fewer than {k} peers in a month are counted together as {pool} (with the next "
                 "smallest team when they are still too few); when that would be the whole program, only the "
                 "{program} figures describe them.", k=overview.k, pool=pool, program=words.group(TOTAL))),
        (_("Never none or all"), _("A count of peers with a status (checked in, in the high band) is never shown as "
                                   "none or all of a group: near none or all it is shown as a range, such as "
                                   "\"{example}\".", example=words.count(rule.Count(0, 1)))),
        (_("Peers"), _("Accounts with the peer role on a team during the month. A peer on several teams counts once, "
                       "in the team created first.")),
        (_("Checked in"), _("At least one weekly check-in sent during the month.")),
        (_("Self-assessed"), _("At least one periodic self-assessment taken during the month.")),
        (_("Monthly wellness figures"), _("Each peer's latest scored self-assessment taken in the calendar month "
                                          "(UTC), counted in a team the peer belonged to during that month. Only "
                                          "complete months are shown, so figures do not move as new answers "
                                          "arrive.")),
        (_("Scales and bands"), _("Each scale is the sum of its ten items (10–50), scored on the ProQOL 5 key; a "
                                  "scale with one item skipped is prorated, with two or more it has no score. "
                                  "Bands: {bands}. The console screens; it does not diagnose.", bands=bands)),
        (_("Median and interquartile range"), _("The middle score of the team's peers, and the lower and upper "
                                                "quartiles (the middle half of the team lies between them).")),
        (_("In high band"), _("Peers whose score is in the high band, as a share of peers with a score.")),
        (_("Exposures"), _("Exposures ticked on weekly check-ins (overdose scene, death of someone served, threat or "
                           "violence, meeting people from one's own past, a triggering setting, stigma or criticism, "
                           "racism or discrimination in the work, pressure on one's own recovery or wellness), added "
                           "up over check-ins for weeks that start in the month. The cell is built from the distinct "
                           "peers who checked in.")),
        (_("Alerts"), _("The share in the high burnout band rose in each of the last two complete months; a team "
                        "with a single peer; a team's median caseload above {high}.", high=high)),
        (_("Caseload"), _("Each ISO week (Monday to Sunday) is released once when the month its Sunday falls in "
                          "closes: the median and quartiles of the caseloads peers reported on their check-in for "
                          "the week, and peers above the program's guideline of {low}–{high} (the tool kit names "
                          "20–30 for weekly check-in work). Shown per team, never per named peer.", low=low,
                          high=high)),
        (_("Hours, call-outs, hours outside the role"), _("Median hours reported for the week; after-hours call-outs "
                                                          "reported, added up; hours on tasks outside the peer role "
                                                          "(peer drift) added up, and peers who reported some.")),
        (_("Supervision"), _("Released once when each calendar month closes: peers placed in the team at an "
                             "individual or group session held during the month, and those without a session with "
                             "supportive minutes in it; sessions by kind and minutes per function of the month's "
                             "sessions with a peer of the team (a group session counts for each team it had peers "
                             "from); each supervisor's sessions and minutes. Only session metadata is used, never "
                             "notes.")),
    )


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """A chart as SVG, rendered here (Altair uses vl-convert), so the report needs no network or script."""
    out = io.StringIO()
    charts.in_reader_language(chart).save(out, format="svg")
    return out.getvalue()


def _html_table(table: Table) -> str:
    columns = table.download_columns()
    keep = [table.columns.index(column) for column in columns]
    head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if row[index] is None else str(row[index]))}</td>" for index in keep)
        + "</tr>"
        for row in table.rows
    ) or f'<tr><td colspan="{len(columns)}">{html.escape(_("None."))}</td></tr>'
    return (f'<div class="table"><h3>{html.escape(table.title)}</h3><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


REPORT_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; } h3 { font-size: 1rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .8rem; }
th, td { border: 1px solid #ccc; padding: .2rem .4rem; text-align: left; }
dl dt { font-weight: 600; margin-top: .5rem; } .chart svg { max-width: 100%; height: auto; }
figure { margin: 0 0 1rem; }
@media print {
  @page { margin: 1.5cm; }
  body { margin: 0; font-size: 10pt; }
  h1, h2, h3, dt { break-after: avoid; page-break-after: avoid; }
  figure, .table, tr, dd { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  section.charts, section.definitions { break-before: page; page-break-before: always; }
}
"""
"""On paper: the first page holds the key figures; headings stay with what follows them, and a chart or a
table short enough for one page is never split."""


def monthly_report_html(
    *, prepared_on: date, overview: ProgramOverview, workload: Workload, coverage: SupervisionCoverage
) -> str:
    """The printable monthly report: the lead pages' summary tables, de-identified, with charts as SVG and
    the data definitions. The longer tables (by month, by week, per peer) are in the CSV downloads."""
    trend = overview.chosen_trend
    teams = {figure.team for figure in trend.figures if figure.suppressed_reason is None}
    trend_teams = [TOTAL] if overview.whole_program else sorted(teams)
    charts: dict[str, list[alt.TopLevelMixin]] = {
        _("{scale} by month", scale=trend.label): [lead_charts.scale_trend(trend, teams=trend_teams)],
        _("Median {scale}, team by month", scale=trend.label.lower()): [lead_charts.median_heatmap(trend)],
        _("Exposures reported, team by month"): [lead_charts.exposures_heatmap(overview)],
        _("Caseload per team"): [lead_charts.caseload_distribution(workload)],
        _("Supervision function balance"): [lead_charts.function_balance(coverage)],
        _("Supervision sessions by month"): [lead_charts.sessions_by_kind(coverage)],
    }
    figures = "".join(
        f"<figure><h3>{html.escape(title)}</h3>"
        + "".join(f'<div class="chart">{chart_svg(chart)}</div>' for chart in items) + "</figure>"
        for title, items in charts.items()
    )
    key_figures = [participation_table(overview), wellness_table(overview), alerts_table(overview)]
    tables = [exposures_table(overview), team_workload_table(workload), *supervision_tables(coverage)]
    scope = _("all teams") if overview.whole_program else _("the teams you lead")
    month = show_month(overview.latest_month)
    title = html.escape(_("{program}: program report, {month}", program=overview.program, month=month))
    introduction = html.escape(_(
        "Prepared {day} for {scope}. Team figures only: no figure describes fewer than {k} peers, and peers are not "
        "named. Figures for {month} and the months before it were released when each month closed and do not "
        "change; workload is by week, each released when the month its Sunday falls in closed.",
        day=show_date(prepared_on), scope=scope, k=overview.k, month=month))
    return f"""<!doctype html>
<html lang="{current_language()}"><head><meta charset="utf-8">
<title>{title}</title>
<style>{REPORT_STYLE}</style></head><body>
<h1>{title}</h1>
<p>{introduction}</p>
<section class="key-figures"><h2>{html.escape(_("Key figures"))}</h2>{
    "".join(_html_table(table) for table in key_figures)}</section>
<section class="charts"><h2>{html.escape(_("Charts"))}</h2>{figures}</section>
<section class="tables"><h2>{html.escape(_("More tables"))}</h2>{"".join(_html_table(table) for table in tables)}</section>
<section class="definitions"><h2>{html.escape(_("Data definitions"))}</h2><dl>{"".join(
        f"<dt>{html.escape(term)}</dt><dd>{html.escape(meaning)}</dd>" for term, meaning in definitions(overview)
    )}</dl></section>
</body></html>
"""
