"""Roster import: teams, people, team memberships and supervision assignments from one CSV file, all or nothing.

The file has one row per record and a `record` column saying what the row is (see `COLUMNS` and the README):

- `team`: a team (`team`, optional `setting`);
- `person`: a person (`email`, `name`, `roles`, optional `username`, `team` and `starts_on`), matched with an
  existing account by email;
- `supervision`: an assignment of `supervisor_email` to the person with `email`, with `functions` and optional
  `starts_on` / `ends_on`.

Every row is checked before anything is written; one bad row and nothing is written, and every problem is
reported with its line number. Importing the same file again changes nothing: the import only adds what is
missing (teams, people, roles, memberships, assignments) and updates what the file says differently (a name,
a team setting, an assignment's functions or end date); it never removes anyone from a team or ends an
assignment the file does not mention. Each new person gets a one-time invitation.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, or_, select

from console.admin.accounts import RESERVED_TEAM_NAMES, USERNAME_PATTERN
from console.core import audit, clock, input_limits, invitations
from console.core.errors import ValidationError
from console.core.i18n import N_, _, n_, show_number
from console.core.passwords import NO_PASSWORD_YET
from console.notify import notifications
from console.notify.kinds import NEW_VIEWER
from console.notify.notifications import Outgoing
from console.policy.access import Action, authorize
from db.models import ROLES, SUPERVISION_FUNCTIONS, Program, SupervisionAssignment, Team, TeamMembership, User

TEAM, PERSON, SUPERVISION = "team", "person", "supervision"
RECORDS = (TEAM, PERSON, SUPERVISION)
COLUMNS = ("record", "team", "setting", "email", "name", "username", "roles", "supervisor_email", "functions",
           "starts_on", "ends_on")
LIST_SEPARATOR = ";"
MAX_ROWS = 50_000
MAX_BYTES = 20_000_000
MAX_REPORTED = 500
EMAIL_PATTERN = re.compile(r"^[^@\s,;<>()\[\]\"']+@[^@\s,;<>()\[\]\"'.]+(\.[^@\s,;<>()\[\]\"'.]+)+$")

TEMPLATE_ROWS = (
    {"record": TEAM, "team": "Overdose response", "setting": "Quick response team with first responders"},
    {"record": TEAM, "team": "Reentry", "setting": "County jail and reentry center"},
    {"record": PERSON, "email": "jordan.lee@example.org", "name": "Jordan Lee", "roles": "supervisor"},
    {"record": PERSON, "email": "sam.rivera@example.org", "name": "Sam Rivera", "roles": "peer",
     "team": "Overdose response", "starts_on": "2026-01-05"},
    {"record": PERSON, "email": "alex.kim@example.org", "name": "Alex Kim", "username": "akim", "roles": "peer",
     "team": "Overdose response; Reentry"},
    {"record": SUPERVISION, "email": "sam.rivera@example.org", "supervisor_email": "jordan.lee@example.org",
     "functions": "administrative; educational; supportive", "starts_on": "2026-01-05"},
    {"record": SUPERVISION, "email": "alex.kim@example.org", "supervisor_email": "jordan.lee@example.org",
     "functions": "educational; supportive", "starts_on": "2026-01-05", "ends_on": "2026-12-31"},
)


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


class RosterRejected(ValidationError):
    """The file cannot be imported; `rows` says what to fix, line by line. Nothing was written."""

    def __init__(self, rows: list[RowProblem]) -> None:
        count = len(rows)
        shown = rows[:MAX_REPORTED]
        message = n_("The roster was not imported: {count} problem to fix, nothing was changed.",
                     "The roster was not imported: {count} problems to fix, nothing was changed.", count)
        if count > MAX_REPORTED:
            message = " ".join([message, _("The first {shown} are listed.", shown=MAX_REPORTED)])
        super().__init__(message, problems={f"line {row.line}": row.message for row in shown})
        self.rows = tuple(shown)
        self.total = count


@dataclass(frozen=True)
class Change:
    line: int
    record: str
    what: str


@dataclass(frozen=True)
class ImportResult:
    dry_run: bool
    teams_created: int
    teams_changed: int
    people_created: int
    people_changed: int
    memberships_added: int
    assignments_created: int
    assignments_changed: int
    rows: int
    changes: tuple[Change, ...]
    invitations: tuple[invitations.IssuedInvitation, ...] = ()

    @property
    def changes_nothing(self) -> bool:
        return not self.changes

    def summary(self) -> str:
        if self.changes_nothing:
            return (_("The file's {rows} rows match what the console holds: nothing would change.", rows=self.rows)
                    if self.dry_run else
                    _("The file's {rows} rows match what the console holds: nothing was changed.", rows=self.rows))
        counts = {"rows": self.rows, "teams_created": self.teams_created, "teams_changed": self.teams_changed,
                  "people_created": self.people_created, "people_changed": self.people_changed,
                  "memberships": self.memberships_added, "assignments_created": self.assignments_created,
                  "assignments_changed": self.assignments_changed}
        if self.dry_run:
            return _("{rows} rows: {teams_created} teams would be created and {teams_changed} changed; "
                     "{people_created} people would be created and {people_changed} changed; {memberships} team "
                     "memberships would be added; {assignments_created} supervision assignments would be created "
                     "and {assignments_changed} changed.", **counts)
        return _("{rows} rows: {teams_created} teams were created and {teams_changed} changed; {people_created} "
                 "people were created and {people_changed} changed; {memberships} team memberships were added; "
                 "{assignments_created} supervision assignments were created and {assignments_changed} changed.",
                 **counts)


def template_csv() -> str:
    """A CSV to fill in: the header and a few example rows of each record."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in TEMPLATE_ROWS:
        writer.writerow(row)
    return out.getvalue()


def invitation_rows(issued: tuple[invitations.IssuedInvitation, ...], *, base_url: str) -> list[dict[str, str]]:
    """The one-time links of an import, one row per new person, for the admin to pass on (shown once)."""
    return [{_("username"): invitation.username, _("emailed to"): invitation.emailed_to or "",
             _("one-time link"): invitation.url(base_url), _("code"): invitation.code,
             _("valid until (UTC)"): f"{invitation.expires_at:%Y-%m-%d %H:%M}"} for invitation in issued]


def rows_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@dataclass
class _Row:
    line: int
    values: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass
class _PersonPlan:
    line: int
    email: str
    name: str
    username: str
    roles: frozenset[str]
    teams: tuple[str, ...]
    starts_on: date
    existing: User | None


@dataclass
class _AssignmentPlan:
    line: int
    supervisor_email: str
    supervisee_email: str
    functions: frozenset[str]
    starts_on: date | None
    ends_on: date | None


@dataclass
class _Problems:
    rows: list[RowProblem] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.rows.append(RowProblem(line, message))


EMPTY_FILE = N_("The file is empty: start from the template, which has the header row and an example of each "
                "record.")


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise RosterRejected([RowProblem(1, _("The file is larger than {megabytes} MB; split it into smaller files "
                                              "and import them one after another.",
                                              megabytes=MAX_BYTES // 1_000_000))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise RosterRejected([RowProblem(line, _("This line is not UTF-8 text. Save the file as “CSV UTF-8” (in "
                                                 "Excel: Save As, CSV UTF-8; in other spreadsheets: choose the UTF-8 "
                                                 "character set)."))]) from error
    if not text.strip():
        raise RosterRejected([RowProblem(1, _(EMPTY_FILE))])
    return text


def _rows(text: str, problems: _Problems) -> Iterator[_Row]:
    """The file's data rows with their first line numbers; the header and delimiter checked first."""
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, [])
    except csv.Error as error:
        problems.add(1, _("The header row cannot be read ({error}); it must be: {columns}.", error=str(error),
                          columns=", ".join(COLUMNS)))
        return
    names = [name.strip().lower() for name in header]
    missing = [name for name in COLUMNS if name not in names]
    unknown = [name for name in names if name not in COLUMNS and name]
    doubled = sorted({name for name in names if names.count(name) > 1 and name})
    if missing or unknown or doubled:
        parts = []
        if missing:
            parts.append(n_("add the column {columns}", "add the columns {columns}", len(missing),
                            columns=", ".join(missing)))
        if unknown:
            parts.append(_("remove or rename {columns}", columns=", ".join(repr(name) for name in unknown)))
        if doubled:
            parts.append(_("keep one column each of {columns}", columns=", ".join(doubled)))
        problems.add(1, _("The header row must name the columns {columns} (in any order): {fixes}. The template "
                          "has the right header.", columns=", ".join(COLUMNS), fixes="; ".join(parts)))
        return
    previous_end = reader.line_num
    count = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.add(previous_end + 1, _("This row cannot be read as CSV ({error}); check its quotes.",
                                             error=str(error)))
            return
        line = previous_end + 1
        previous_end = reader.line_num
        if not any(value.strip() for value in values):
            continue
        count += 1
        if count > MAX_ROWS:
            problems.add(line, _("The file has more than {rows} rows; split it into smaller files.",
                                 rows=show_number(MAX_ROWS)))
            return
        if len(values) != len(names):
            problems.add(line, _("This row has {values} values but the header has {columns} columns; check for a "
                                 "missing or extra comma, or quote values that contain commas.", values=len(values),
                                 columns=len(names)))
            continue
        row = _Row(line, {name: input_limits.normalized(value) for name, value in zip(names, values, strict=True)})
        if row[""]:
            problems.add(line, _("This row has a value in a column without a name in the header; move it to its "
                                 "column or remove it."))
            continue
        yield row


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", value) if part.strip()]


def _date(row: _Row, column: str, problems: _Problems, *, today: date) -> tuple[date | None, bool]:
    """The date in `column` (None when empty) and whether it is usable."""
    value = row[column]
    if not value:
        return None, True
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        problems.add(row.line, _("{column}: {value} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-01 (format "
                                 "the column as text in a spreadsheet so it keeps this form).", column=column,
                                 value=repr(value)))
        return None, False
    if len(value) != 10:
        problems.add(row.line, _("{column}: write the date as YYYY-MM-DD, e.g. 2026-03-01.", column=column))
        return None, False
    problem = input_limits.date_problem(parsed, label=column, today=today)
    if problem:
        problems.add(row.line, problem)
        return None, False
    return parsed, True


def _text(row: _Row, column: str, limit: input_limits.TextField, problems: _Problems) -> bool:
    problem = input_limits.text_problem(row[column], limit, label=column)
    if problem:
        problems.add(row.line, problem)
    return problem is None


def _unused(row: _Row, columns: tuple[str, ...], problems: _Problems) -> None:
    filled = [column for column in columns if row[column]]
    if filled:
        problems.add(row.line, n_("{columns}: leave this column empty in a {record} row (they belong to other "
                                  "records).", "{columns}: leave these columns empty in a {record} row (they belong "
                                  "to other records).", len(filled), columns=", ".join(filled),
                                  record=row["record"].lower()))


def _distinct(names: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(input_limits.comparable(name), name)
    return tuple(seen.values())


def _username_from_email(email: str) -> str:
    local = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower())
    local = re.sub(r"^[._-]+", "", local)
    return (local or "person")[:64].ljust(2, "0")


def import_roster(session: Session, *, actor: User | None, data: bytes, dry_run: bool = False,
                  send_email: bool = False, program_id: int | None = None) -> ImportResult:
    """Check the whole file and, unless `dry_run`, write all of it in one transaction.

    Raises RosterRejected (nothing written) when any row needs fixing. `actor` None is the operator at the
    command line. With `send_email` the invitations of new people are also emailed (through the outbox).
    """
    if actor is not None:
        authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
    today = clock.today()
    text = _decode(data)
    problems = _Problems()
    rows = list(_rows(text, problems))
    if problems.rows:
        raise RosterRejected(problems.rows)
    if not rows:
        raise RosterRejected([RowProblem(2, _("The file has a header but no rows: add a row for each team, person "
                                              "and supervision assignment."))])
    program_id = _program_id(session, actor=actor, program_id=program_id, problems=problems)
    if program_id is None:
        raise RosterRejected(problems.rows)

    teams = {input_limits.comparable(team.name): team
             for team in session.exec(select(Team).where(Team.program_id == program_id))}
    users = session.exec(select(User)).all()
    by_email = {user.email.lower(): user for user in users if user.email}
    usernames = {user.username: user for user in users}

    team_rows: dict[str, tuple[_Row, str, str]] = {}
    people: dict[str, _PersonPlan] = {}
    planned_usernames: dict[str, int] = {}
    assignment_rows: dict[tuple[str, str, date | None], _AssignmentPlan] = {}
    unusable: set[str] = set()
    team_references: list[tuple[int, tuple[str, ...]]] = []
    """Teams and emails of rows with a problem: rows referring to them are not reported again."""
    for row in rows:
        record = row["record"].lower()
        if record == TEAM:
            _check_team(row, problems, team_rows)
            if input_limits.comparable(row["team"]) not in team_rows:
                unusable.add(input_limits.comparable(row["team"]))
        elif record == PERSON:
            _check_person(row, problems, people=people, by_email=by_email, usernames=usernames,
                          planned_usernames=planned_usernames, program_id=program_id, today=today)
            if row["email"].lower() not in people:
                unusable.add(row["email"].lower())
            team_references.append((row.line, _distinct(_split(row["team"]))))
        elif record == SUPERVISION:
            _check_supervision(row, problems, assignment_rows, today=today)
        else:
            problems.add(row.line, _("record: {record} is not a record; use team, person or supervision.",
                                     record=repr(row["record"]))
                         if row["record"] else _("record: say what the row is: team, person or supervision."))

    known_teams = set(teams) | set(team_rows) | unusable
    for line, names in team_references:
        for name in names:
            if input_limits.comparable(name) not in known_teams:
                problems.add(line, _("team: there is no team {name}; add a team row for it, or use the name of an "
                                     "existing team (as on the Teams and supervision page).", name=repr(name)))

    def roles_of(email: str) -> frozenset[str] | None:
        plan, user = people.get(email), by_email.get(email)
        if plan is None and user is None:
            return None
        return (plan.roles if plan else frozenset()) | (user.role_set if user else frozenset())

    for plan in assignment_rows.values():
        if {plan.supervisor_email, plan.supervisee_email} & unusable:
            continue
        supervisor_roles, supervisee_roles = roles_of(plan.supervisor_email), roles_of(plan.supervisee_email)
        if supervisor_roles is None:
            problems.add(plan.line, _("supervisor_email: nobody has the email {email}; add a person row for the "
                                      "supervisor or correct the address.", email=plan.supervisor_email))
        elif "supervisor" not in supervisor_roles:
            problems.add(plan.line, _("supervisor_email: {email} does not have the supervisor role; add supervisor "
                                      "to that person's roles.", email=plan.supervisor_email))
        if supervisee_roles is None:
            problems.add(plan.line, _("email: nobody has the email {email}; add a person row for them or correct "
                                      "the address.", email=plan.supervisee_email))
        elif "peer" not in supervisee_roles:
            problems.add(plan.line, _("email: {email} does not have the peer role; only peers are supervised here.",
                                      email=plan.supervisee_email))
    if problems.rows:
        raise RosterRejected(sorted(problems.rows, key=lambda problem: problem.line))

    return _apply(session, actor=actor, program_id=program_id, teams=teams, team_rows=team_rows, people=people,
                  assignment_rows=assignment_rows, by_email=by_email, rows=len(rows), today=today,
                  dry_run=dry_run, send_email=send_email)


def _program_id(session: Session, *, actor: User | None, program_id: int | None, problems: _Problems) -> int | None:
    if program_id is not None:
        if session.get(Program, program_id) is None:
            problems.add(1, _("There is no program {program}.", program=program_id))
            return None
        return program_id
    if actor is not None and actor.program_id is not None:
        return actor.program_id
    programs = session.exec(select(Program.id)).all()
    if len(programs) == 1:
        return programs[0]
    problems.add(1, _("The database holds no program yet; run `wellness-console init` first.") if not programs
                 else _("The database holds several programs; name the program to import into."))
    return None


def _check_team(row: _Row, problems: _Problems, team_rows: dict[str, tuple[_Row, str, str]]) -> None:
    _unused(row, ("email", "name", "username", "roles", "supervisor_email", "functions", "starts_on", "ends_on"),
            problems)
    ok = _text(row, "team", input_limits.TEAM_NAME, problems) & _text(row, "setting", input_limits.TEAM_SETTING,
                                                                       problems)
    name = row["team"]
    if not name:
        problems.add(row.line, _("team: enter the team's name."))
        return
    if not ok:
        return
    if LIST_SEPARATOR in name or "," in name:
        problems.add(row.line, _("team: a team name cannot contain ; or , (they separate teams in a person row)."))
        return
    key = input_limits.comparable(name)
    reserved = next((label for label in RESERVED_TEAM_NAMES if input_limits.comparable(label) == key), None)
    if reserved is not None:
        problems.add(row.line, _("team: “{name}” is a label the console shows for a total or a missing team; "
                                 "choose another name.", name=reserved))
        return
    if key in team_rows:
        problems.add(row.line, _("team: {name} is already on line {line}; keep one row per team.", name=repr(name),
                                 line=team_rows[key][0].line))
        return
    team_rows[key] = (row, name, row["setting"])


def _check_person(row: _Row, problems: _Problems, *, people: dict[str, _PersonPlan], by_email: dict[str, User],
                  usernames: dict[str, User], planned_usernames: dict[str, int], program_id: int,
                  today: date) -> None:
    _unused(row, ("setting", "supervisor_email", "functions", "ends_on"), problems)
    ok = all([_text(row, "email", input_limits.EMAIL, problems), _text(row, "name", input_limits.DISPLAY_NAME, problems),
              _text(row, "username", input_limits.USERNAME, problems), _text(row, "roles", input_limits.ROSTER_LIST,
                                                                             problems),
              _text(row, "team", input_limits.ROSTER_LIST, problems)])
    email = row["email"].lower()
    if not email:
        problems.add(row.line, _("email: enter the person's email address; it is how the import recognises them."))
        ok = False
    elif not EMAIL_PATTERN.match(email):
        problems.add(row.line, _("email: {value} is not an email address; write it as name@example.org.",
                                 value=repr(row["email"])))
        ok = False
    elif email in people:
        problems.add(row.line, _("email: {email} is already on line {line}; keep one row per person (list several "
                                 "teams in one row, separated by ;).", email=row["email"], line=people[email].line))
        ok = False
    if not row["name"]:
        problems.add(row.line, _("name: enter the name people will see."))
        ok = False
    roles = _split(row["roles"].lower())
    unknown = [role for role in roles if role not in ROLES]
    if not roles:
        problems.add(row.line, _("roles: enter one or more of {roles}, separated by ;.", roles=", ".join(ROLES)))
        ok = False
    elif unknown:
        problems.add(row.line, _("roles: {unknown} is not a role; roles are {roles}.",
                                 unknown=", ".join(repr(role) for role in unknown), roles=", ".join(ROLES)))
        ok = False
    starts_on, dated = _date(row, "starts_on", problems, today=today)
    existing = by_email.get(email)
    username = row["username"].lower()
    if existing is not None:
        if existing.program_id not in (None, program_id):
            problems.add(row.line, _("email: {email} belongs to an account of another program.", email=row["email"]))
            ok = False
        if username and username != existing.username:
            problems.add(row.line, _("username: the account with this email is {username}; use that username or "
                                     "leave the column empty (the import does not rename accounts).",
                                     username=repr(existing.username)))
            ok = False
        username = existing.username
    elif ok:
        username_given = bool(username)
        username = username or _username_from_email(email)
        taken = usernames.get(username)
        if not USERNAME_PATTERN.match(username):
            problems.add(row.line, _("username: use 2–64 lower-case letters, digits, dots, dashes or underscores, "
                                     "starting with a letter or digit."))
            ok = False
        elif taken is not None or username in planned_usernames:
            where = (_("line {line}", line=planned_usernames[username]) if username in planned_usernames
                     else _("another account"))
            hint = _("choose another") if username_given else _("enter a username for this person")
            problems.add(row.line, _("username: {username} is taken by {where}; {hint}.", username=repr(username),
                                     where=where, hint=hint))
            ok = False
        else:
            planned_usernames[username] = row.line
    if ok and dated:
        people[email] = _PersonPlan(line=row.line, email=email, name=row["name"], username=username,
                                    roles=frozenset(roles), teams=_distinct(_split(row["team"])),
                                    starts_on=starts_on or today, existing=existing)


def _check_supervision(row: _Row, problems: _Problems,
                       assignment_rows: dict[tuple[str, str, date | None], _AssignmentPlan], *, today: date) -> None:
    _unused(row, ("team", "setting", "name", "username", "roles"), problems)
    ok = all([_text(row, "email", input_limits.EMAIL, problems),
              _text(row, "supervisor_email", input_limits.EMAIL, problems),
              _text(row, "functions", input_limits.ROSTER_LIST, problems)])
    supervisee, supervisor = row["email"].lower(), row["supervisor_email"].lower()
    for column, value in (("email", supervisee), ("supervisor_email", supervisor)):
        if not value:
            problems.add(row.line, _("{column}: enter the supervisee's email address.", column=column)
                         if column == "email" else
                         _("{column}: enter the supervisor's email address.", column=column))
            ok = False
        elif not EMAIL_PATTERN.match(value):
            problems.add(row.line, _("{column}: {value} is not an email address; write it as name@example.org.",
                                     column=column, value=repr(value)))
            ok = False
    if ok and supervisee == supervisor:
        problems.add(row.line, _("supervisor_email: a person cannot supervise themselves."))
        ok = False
    functions = _split(row["functions"].lower())
    unknown = [function for function in functions if function not in SUPERVISION_FUNCTIONS]
    if not functions:
        problems.add(row.line, _("functions: enter one or more of {functions}, separated by ;.",
                                 functions=", ".join(SUPERVISION_FUNCTIONS)))
        ok = False
    elif unknown:
        problems.add(row.line, _("functions: {unknown} is not a supervision function; use {functions}.",
                                 unknown=", ".join(repr(function) for function in unknown),
                                 functions=", ".join(SUPERVISION_FUNCTIONS)))
        ok = False
    starts_on, start_ok = _date(row, "starts_on", problems, today=today)
    ends_on, end_ok = _date(row, "ends_on", problems, today=today)
    if start_ok and end_ok and ends_on is not None and ends_on < (starts_on or today):
        problems.add(row.line, _("ends_on: the assignment ends on {ends}, before it starts on {starts}; swap the "
                                 "dates or correct one.", ends=ends_on.isoformat(),
                                 starts=(starts_on or today).isoformat()))
        ok = False
    key = (supervisor, supervisee, starts_on)
    if ok and key in assignment_rows:
        problems.add(row.line, _("This assignment is already on line {line}; keep one row per supervisor, "
                                 "supervisee and start date.", line=assignment_rows[key].line))
        ok = False
    if ok and start_ok and end_ok:
        assignment_rows[key] = _AssignmentPlan(line=row.line, supervisor_email=supervisor, supervisee_email=supervisee,
                                               functions=frozenset(functions), starts_on=starts_on, ends_on=ends_on)


def _ordered(values: frozenset[str], order: tuple[str, ...], separator: str = ",") -> str:
    return separator.join(value for value in order if value in values)


def _apply(session: Session, *, actor: User | None, program_id: int, teams: dict[str, Team],
           team_rows: dict[str, tuple[_Row, str, str]], people: dict[str, _PersonPlan],
           assignment_rows: dict[tuple[str, str, date | None], _AssignmentPlan], by_email: dict[str, User],
           rows: int, today: date, dry_run: bool, send_email: bool) -> ImportResult:
    changes: list[Change] = []
    counts = dict.fromkeys(("teams_created", "teams_changed", "people_created", "people_changed",
                            "memberships_added", "assignments_created", "assignments_changed"), 0)
    new_teams: list[tuple[int, Team]] = []
    for key, (row, name, setting) in team_rows.items():
        team = teams.get(key)
        if team is None:
            team = Team(program_id=program_id, name=name, setting=setting)
            teams[key] = team
            new_teams.append((row.line, team))
            counts["teams_created"] += 1
            changes.append(Change(row.line, TEAM, _("create the team {name}", name=repr(name))))
        elif setting and team.setting != setting:
            counts["teams_changed"] += 1
            changes.append(Change(row.line, TEAM, _("change the setting of {team} to {setting}",
                                                          team=repr(team.name), setting=repr(setting))))
            if not dry_run:
                team.setting = setting
                session.add(team)
                audit.record(session, actor=actor, action="team_updated", resource_type="team",
                             resource_id=team.id, detail="setting")

    new_people: list[tuple[_PersonPlan, User]] = []
    for plan in people.values():
        user = plan.existing
        if user is None:
            user = User(program_id=program_id, username=plan.username, display_name=plan.name, email=plan.email,
                        roles=frozenset(plan.roles), password_hash=NO_PASSWORD_YET)
            new_people.append((plan, user))
            counts["people_created"] += 1
            changes.append(Change(plan.line, PERSON, _("create the account {username} for {name} ({email}) with "
                                                       "roles {roles} and send an invitation",
                                                       username=repr(plan.username), name=plan.name, email=plan.email,
                                                       roles=_ordered(plan.roles, ROLES, ", "))))
            continue
        changed = []
        changed_fields = ", ".join(field for field, differs in (("name", user.display_name != plan.name),
                                                                ("roles", bool(plan.roles - user.role_set))) if differs)
        if user.display_name != plan.name:
            changed.append(_("name {before} → {after}", before=repr(user.display_name), after=repr(plan.name)))
        added_roles = plan.roles - user.role_set
        if added_roles:
            changed.append(n_("add the role {roles}", "add the roles {roles}", len(added_roles),
                              roles=_ordered(added_roles, ROLES, ", ")))
        if changed:
            counts["people_changed"] += 1
            changes.append(Change(plan.line, PERSON, _("change {username}: {changes}", username=repr(user.username),
                                                       changes="; ".join(changed))))
            if not dry_run:
                user.display_name = plan.name
                user.roles = frozenset(plan.roles | user.role_set)
                session.add(user)
                audit.record(session, actor=actor, action="account_updated", subject_id=user.id,
                             resource_type="account", resource_id=user.id,
                             detail=changed_fields)

    if not dry_run:
        for _line, team in new_teams:
            session.add(team)
        for _plan, user in new_people:
            session.add(user)
        session.flush()
        for _line, team in new_teams:
            audit.record(session, actor=actor, action="team_created", resource_type="team", resource_id=team.id)
        for _plan, user in new_people:
            audit.record(session, actor=actor, action="account_created", subject_id=user.id,
                         resource_type="account", resource_id=user.id,
                         detail=f"roles {_ordered(frozenset(user.roles), ROLES)}, roster import")

    existing_ids = [plan.existing.id for plan in people.values() if plan.existing is not None]
    supervised = {email for plan in assignment_rows.values() for email in (plan.supervisor_email, plan.supervisee_email)}
    existing_ids += [by_email[email].id for email in supervised if email in by_email]
    current_memberships = _current_memberships(session, user_ids=existing_ids, today=today)
    assignments = _assignments(session, user_ids=existing_ids, today=today)
    created_by_email = {plan.email: user for plan, user in new_people}
    for plan in people.values():
        user = plan.existing or created_by_email[plan.email]
        for name in plan.teams:
            team = teams[input_limits.comparable(name)]
            if team.id is not None and (user.id, team.id) in current_memberships:
                continue
            counts["memberships_added"] += 1
            changes.append(Change(plan.line, PERSON, _("add {username} to the team {team} from {day}",
                                                       username=repr(plan.username), team=repr(team.name),
                                                       day=plan.starts_on.isoformat())))
            if not dry_run:
                session.add(TeamMembership(user_id=user.id, team_id=team.id, started_on=plan.starts_on))
                current_memberships.add((user.id, team.id))
                audit.record(session, actor=actor, action="team_membership_added", subject_id=user.id,
                             resource_type="team", resource_id=team.id)

    all_people = {**by_email, **created_by_email}
    new_assignments: list[tuple[SupervisionAssignment, User, User]] = []
    for wanted in assignment_rows.values():
        supervisor, supervisee = all_people[wanted.supervisor_email], all_people[wanted.supervisee_email]
        functions = _ordered(wanted.functions, SUPERVISION_FUNCTIONS)
        listed = _ordered(wanted.functions, SUPERVISION_FUNCTIONS, ", ")
        match = _matching_assignment(assignments, supervisor=supervisor, supervisee=supervisee, plan=wanted)
        who = _("{supervisor} supervising {supervisee}", supervisor=repr(supervisor.username),
                supervisee=repr(supervisee.username))
        if match is None:
            counts["assignments_created"] += 1
            starts = (wanted.starts_on or today).isoformat()
            changes.append(Change(wanted.line, SUPERVISION,
                                  _("assign {who} ({functions}) from {starts} until {ends}", who=who, functions=listed,
                                    starts=starts, ends=wanted.ends_on.isoformat()) if wanted.ends_on else
                                  _("assign {who} ({functions}) from {starts}", who=who, functions=listed,
                                    starts=starts)))
            if not dry_run:
                assignment = SupervisionAssignment(supervisor_id=supervisor.id, supervisee_id=supervisee.id,
                                                   functions=frozenset(wanted.functions),
                                                   started_on=wanted.starts_on or today,
                                                   ended_on=wanted.ends_on)
                session.add(assignment)
                new_assignments.append((assignment, supervisor, supervisee))
            continue
        differences = []
        if frozenset(match.functions) != wanted.functions:
            before = _ordered(frozenset(match.functions), SUPERVISION_FUNCTIONS, ", ")
            differences.append(_("functions {before} → {after}", before=before, after=listed))
        if match.ended_on != wanted.ends_on:
            differences.append(_("end {before} → {after}", before=match.ended_on or _("none"),
                                 after=wanted.ends_on or _("none")))
        if differences:
            counts["assignments_changed"] += 1
            changes.append(Change(wanted.line, SUPERVISION, _("change {who}: {changes}", who=who,
                                                                changes="; ".join(differences))))
            if not dry_run:
                match.functions, match.ended_on = frozenset(wanted.functions), wanted.ends_on
                session.add(match)
                audit.record(session, actor=actor, action="assignment_updated", subject_id=supervisee.id,
                             resource_type="supervision_assignment", resource_id=match.id, detail=functions)

    issued: list[invitations.IssuedInvitation] = []
    if not dry_run:
        session.flush()
        viewers = []
        for assignment, supervisor, supervisee in new_assignments:
            audit.record(session, actor=actor, action="assignment_created", subject_id=supervisee.id,
                         resource_type="supervision_assignment", resource_id=assignment.id,
                         detail=_ordered(frozenset(assignment.functions), SUPERVISION_FUNCTIONS))
            viewers.append(Outgoing(recipient=supervisee, key=str(assignment.id),
                                    params={"supervisor": supervisor.display_name,
                                            "functions": _ordered(frozenset(assignment.functions),
                                                                  SUPERVISION_FUNCTIONS, ", ")}))
        notifications.enqueue_many(session, kind=NEW_VIEWER, messages=viewers)
        created = [user for _plan, user in new_people]
        for user, invitation in zip(created, invitations.issue_for_new_accounts(session, actor=actor, users=created,
                                                                              now=clock.now()), strict=True):
            issued.append(invitations.send_by_email(session, user=user, invitation=invitation) if send_email
                          else invitation)
        result = _result(dry_run=False, rows=rows, changes=changes, counts=counts, issued=issued)
        audit.record(session, actor=actor, action="roster_imported", resource_type="roster",
                     detail=result.summary())
        session.commit()
        return result
    return _result(dry_run=True, rows=rows, changes=changes, counts=counts, issued=[])


def _result(*, dry_run: bool, rows: int, changes: list[Change], counts: dict[str, int],
            issued: list[invitations.IssuedInvitation]) -> ImportResult:
    return ImportResult(dry_run=dry_run, rows=rows, changes=tuple(changes), invitations=tuple(issued),
                        teams_created=counts["teams_created"], teams_changed=counts["teams_changed"],
                        people_created=counts["people_created"], people_changed=counts["people_changed"],
                        memberships_added=counts["memberships_added"],
                        assignments_created=counts["assignments_created"],
                        assignments_changed=counts["assignments_changed"])


def _current_memberships(session: Session, *, user_ids: list[int], today: date) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for start in range(0, len(user_ids), 500):
        found.update(session.exec(
            select(TeamMembership.user_id, TeamMembership.team_id).where(
                col(TeamMembership.user_id).in_(user_ids[start:start + 500]),
                or_(col(TeamMembership.ended_on).is_(None), col(TeamMembership.ended_on) >= today))
        ).all())
    return found


def _assignments(session: Session, *, user_ids: list[int], today: date) -> dict[tuple[int, int],
                                                                              list[SupervisionAssignment]]:
    found: dict[tuple[int, int], list[SupervisionAssignment]] = {}
    ids = sorted(set(user_ids))
    for start in range(0, len(ids), 500):
        for assignment in session.exec(select(SupervisionAssignment).where(
                col(SupervisionAssignment.supervisee_id).in_(ids[start:start + 500]))):
            found.setdefault((assignment.supervisor_id, assignment.supervisee_id), []).append(assignment)
    return found


def _matching_assignment(assignments: dict[tuple[int, int], list[SupervisionAssignment]], *, supervisor: User,
                         supervisee: User, plan: _AssignmentPlan) -> SupervisionAssignment | None:
    """The assignment a row describes: the pair's assignment starting on the row's date, or without a date the
    pair's current one."""
    if supervisor.id is None or supervisee.id is None:
        return None
    candidates = assignments.get((supervisor.id, supervisee.id), [])
    if plan.starts_on is not None:
        return next((assignment for assignment in candidates if assignment.started_on == plan.starts_on), None)
    today = clock.today()
    return next((assignment for assignment in candidates
                 if assignment.started_on <= today and (assignment.ended_on is None or assignment.ended_on >= today)),
                None)
