from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel, func, select

from console.admin import roster
from console.core.errors import PermissionDenied
from console.core.passwords import NO_PASSWORD_YET
from db.models import (
    AuditEvent,
    Invitation,
    OutboxMessage,
    SupervisionAssignment,
    Team,
    TeamMembership,
    User,
)

HEADER = ",".join(roster.COLUMNS)


def csv_of(*rows: dict[str, str], header: tuple[str, ...] = roster.COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def team(name: str, setting: str = "") -> dict[str, str]:
    return {"record": "team", "team": name, "setting": setting}


def person(email: str, name: str, roles: str = "peer", **more: str) -> dict[str, str]:
    return {"record": "person", "email": email, "name": name, "roles": roles, **more}


def supervision(supervisee: str, supervisor: str, functions: str = "educational; supportive",
                **more: str) -> dict[str, str]:
    return {"record": "supervision", "email": supervisee, "supervisor_email": supervisor, "functions": functions,
            **more}


def roster_file(world) -> bytes:
    start = (world.today - timedelta(days=30)).isoformat()
    return csv_of(
        team("Courts", "drug court and pretrial"),
        team("Overdose response"),
        person("casey@example.org", "Casey Morgan", "supervisor"),
        person("river@example.org", "River Ortiz", "peer", team="Courts; Overdose response", starts_on=start),
        person("noor@example.org", "Noor Haddad", "peer;supervisor", username="nhaddad", team="Reentry"),
        supervision("river@example.org", "casey@example.org", "administrative; educational; supportive",
                    starts_on=start),
        supervision("noor@example.org", "casey@example.org", "administrative"),
        supervision("river@example.org", world.supervisor.email, "educational"),
    )


def dump(session) -> dict[str, list[str]]:
    """Every row of every table, for proving that nothing was written."""
    session.expire_all()
    return {table.name: sorted(repr(tuple(row)) for row in session.execute(table.select()))
            for table in SQLModel.metadata.sorted_tables}


@pytest.fixture
def emails(session, world):
    for user in (world.supervisor, world.peer, world.admin):
        user.email = f"{user.username}@example.org"
        session.add(user)
    session.commit()
    return world


def test_template_is_a_valid_roster_that_imports(session, world):
    result = roster.import_roster(session, actor=world.admin, data=roster.template_csv().encode(), dry_run=True)
    assert result.people_created == 3 and result.assignments_created == 2 and result.memberships_added == 3
    assert (result.teams_created, result.teams_changed) == (0, 2)


def test_import_creates_teams_people_memberships_assignments_and_invitations(session, emails):
    world = emails
    result = roster.import_roster(session, actor=world.admin, data=roster_file(world))
    assert (result.teams_created, result.people_created, result.memberships_added, result.assignments_created) == (
        1, 3, 3, 3)
    assert result.teams_changed == 0 and result.people_changed == 0
    session.expire_all()
    river = session.exec(select(User).where(User.email == "river@example.org")).one()
    assert river.username == "river" and river.password_hash == NO_PASSWORD_YET and river.roles == frozenset({"peer"})
    assert river.program_id == world.program.id
    noor = session.exec(select(User).where(User.username == "nhaddad")).one()
    assert noor.roles == frozenset({"peer", "supervisor"})
    teams = {membership.team_id for membership in
             session.exec(select(TeamMembership).where(TeamMembership.user_id == river.id))}
    courts = session.exec(select(Team).where(Team.name == "Courts")).one()
    assert teams == {courts.id, world.team.id}
    assert courts.setting == "drug court and pretrial"
    functions = {(a.supervisor_id, a.functions) for a in
                 session.exec(select(SupervisionAssignment).where(SupervisionAssignment.supervisee_id == river.id))}
    assert functions == {(world.supervisor.id, frozenset({"educational"})),
                         (session.exec(select(User.id).where(User.username == "casey")).one(),
                          frozenset({"administrative", "educational", "supportive"}))}
    assert {invitation.username for invitation in result.invitations} == {"casey", "river", "nhaddad"}
    assert session.exec(select(func.count()).select_from(Invitation)).one() == 3
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "roster_imported")).one().actor_id == \
        world.admin.id
    assert not any(invitation.emailed_to for invitation in result.invitations)


def test_reimporting_the_same_file_changes_nothing(session, emails):
    data = roster_file(emails)
    roster.import_roster(session, actor=emails.admin, data=data)
    before = dump(session)
    again = roster.import_roster(session, actor=emails.admin, data=data)
    assert again.changes_nothing and not again.invitations
    after = dump(session)
    for bookkeeping in ("auditevent", "databasestate"):
        before.pop(bookkeeping), after.pop(bookkeeping)
    assert after == before


def test_dry_run_shows_the_changes_and_writes_nothing(session, emails):
    before = dump(session)
    preview = roster.import_roster(session, actor=emails.admin, data=roster_file(emails), dry_run=True)
    assert dump(session) == before
    assert preview.dry_run and preview.people_created == 3 and not preview.invitations
    assert any("create the account 'river'" in change.what for change in preview.changes)
    assert "would be created" in preview.summary()


def test_existing_people_are_matched_by_email_and_only_what_differs_changes(session, emails):
    world = emails
    data = csv_of(person("PEER_BANDS@example.org", "Pat Bands", "peer;supervisor", team="Overdose response"),
                  supervision("peer_bands@example.org", "supervisor@example.org", "educational"))
    preview = roster.import_roster(session, actor=world.admin, data=data, dry_run=True)
    assert (preview.people_created, preview.people_changed, preview.memberships_added) == (0, 1, 0)
    assert preview.assignments_changed == 1
    result = roster.import_roster(session, actor=world.admin, data=data)
    session.expire_all()
    peer = session.get(User, world.peer.id)
    assert (peer.display_name, peer.roles) == ("Pat Bands", frozenset({"peer", "supervisor"}))
    assignment = session.exec(select(SupervisionAssignment).where(
        SupervisionAssignment.supervisor_id == world.supervisor.id,
        SupervisionAssignment.supervisee_id == world.peer.id)).one()
    assert assignment.functions == frozenset({"educational"})
    assert not result.invitations


def test_invitations_are_emailed_through_the_outbox_when_mail_is_configured(session, emails):
    result = roster.import_roster(session, actor=emails.admin, data=roster_file(emails), send_email=True)
    assert {invitation.emailed_to for invitation in result.invitations} == {
        "casey@example.org", "river@example.org", "noor@example.org"}
    kinds = session.exec(select(OutboxMessage.kind)).all()
    assert kinds.count("invitation") == 3
    for invitation in result.invitations:
        assert invitation.code not in repr(session.exec(select(OutboxMessage.dedupe_key)).all())


def test_only_an_admin_imports(session, world):
    for actor in (world.lead, world.supervisor, world.peer):
        with pytest.raises(PermissionDenied):
            roster.import_roster(session, actor=actor, data=roster.template_csv().encode(), dry_run=True)


def _problems(session, world, data: bytes) -> list[tuple[int, str]]:
    before = dump(session)
    with pytest.raises(roster.RosterRejected) as rejected:
        roster.import_roster(session, actor=world.admin, data=data)
    assert dump(session) == before
    assert str(rejected.value).startswith("The roster was not imported")
    return [(problem.line, problem.message) for problem in rejected.value.rows]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(session, emails):
    world = emails
    data = csv_of(
        team("All teams"),                                                              # 2
        team("Courts"),                                                                 # 3
        team("courts"),                                                                 # 4
        person("not-an-email", "Someone"),                                              # 5
        person("dup@example.org", "Dup One", team="Nowhere"),                           # 6
        person("dup@example.org", "Dup Two"),                                           # 7
        person("role@example.org", "Role", "peer;wizard"),                              # 8
        supervision("dup@example.org", "peer_bands@example.org"),                       # 9
        supervision("dup@example.org", "supervisor@example.org", "administrative;pastoral"),   # 10
        supervision("dup@example.org", "supervisor@example.org", starts_on="2026-05-01", ends_on="2026-04-01"),
        supervision("dup@example.org", "supervisor@example.org", starts_on="01/05/2026"),   # 12
        {"record": "member", "email": "x@example.org"},                                 # 13
        person("long@example.org", "x" * 121),                                          # 14
        supervision("ghost@example.org", "supervisor@example.org"),                     # 15
        supervision("supervisor@example.org", "peer_bands@example.org"),                # 16
    )
    problems = _problems(session, world, data)
    lines = {line for line, _ in problems}
    assert lines == set(range(2, 17)) - {3}
    text = {line: message for line, message in problems}
    assert "label the console shows" in text[2]
    assert "already on line 3" in text[4]
    assert "not an email address" in text[5]
    assert "no team 'Nowhere'" in text[6]
    assert "already on line 6" in text[7]
    assert "'wizard' is not a role" in text[8]
    assert "does not have the supervisor role" in text[9]
    assert "'pastoral' is not a supervision function" in text[10]
    assert "before it starts" in text[11]
    assert "YYYY-MM-DD" in text[12]
    assert "is not a record" in text[13]
    assert "at most 120 characters" in text[14]
    assert "nobody has the email ghost@example.org" in text[15]
    assert "does not have the peer role" in " ".join(message for line, message in problems if line == 16)


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "The file is empty"),
    (b"\xef\xbb\xbf\n\n", "The file is empty"),
    (HEADER.encode() + b"\n", "no rows"),
    (b"record,team,email\nteam,Courts,\n", "add the columns setting"),
    (HEADER.replace("roles", "role").encode() + b"\n", "remove or rename 'role'"),
    (HEADER.encode() + b"\nperson,,,caf\xe9@example.org,Caf\xe9,,peer,,,,\n", "not UTF-8"),
    (HEADER.encode() + b"\nteam,Courts\n", "has 2 values but the header has 11"),
    (HEADER.encode() + b"\nteam,\"Courts\x00\",,,,,,,,,\n", "line 2"),
])
def test_file_level_problems_are_named(session, world, data, expected):
    problems = _problems(session, world, data)
    assert any(expected in f"line {line}: {message}" for line, message in problems), problems


def test_a_byte_order_mark_and_tabs_pasted_from_a_spreadsheet_are_fine(session, world):
    data = "\ufeff" + roster.template_csv().replace(",", "\t")
    result = roster.import_roster(session, actor=world.admin, data=data.encode("utf-8"), dry_run=True)
    assert result.people_created == 3


def test_a_username_taken_by_someone_else_asks_for_another(session, world):
    problems = _problems(session, world, csv_of(person("lead@elsewhere.org", "Another Lead")))
    assert problems == [(2, "username: 'lead' is taken by another account; enter a username for this person.")]


BAD_EDITS = [
    ("record", "teams"), ("email", "no-at-sign"), ("roles", "boss"), ("functions", "clinical"),
    ("starts_on", "2026-13-01"), ("starts_on", "1999-12-31"), ("ends_on", "2020-01-01"), ("team", "All teams"),
    ("team", "Unknown team"), ("supervisor_email", "river@example.org"), ("name", "\x07"), ("name", ""),
    ("username", "Bad Name"), ("setting", "s" * 201),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_broken_files_never_write_anything(session, emails, data):
    world = emails
    rows = list(csv.DictReader(io.StringIO(roster_file(world).decode())))
    breakage = data.draw(st.sampled_from(["edit", "duplicate", "truncate", "bytes", "header"]))
    if breakage == "edit":
        index = data.draw(st.integers(0, len(rows) - 1))
        column, value = data.draw(st.sampled_from([
            edit for edit in BAD_EDITS if edit[0] in _used(rows[index])
            and not (rows[index]["record"] == "team" and edit == ("team", "Unknown team"))]))
        rows[index][column] = value
        file = csv_of(*rows)
    elif breakage == "duplicate":
        index = data.draw(st.integers(0, len(rows) - 1))
        rows.insert(data.draw(st.integers(0, len(rows))), dict(rows[index]))
        file = csv_of(*rows)
    elif breakage == "truncate":
        file = csv_of(*rows)
        lines = file.split(b"\n")
        index = data.draw(st.integers(1, len(lines) - 2))
        cut = data.draw(st.integers(1, max(1, lines[index].count(b",") - 1)))
        lines[index] = b",".join(lines[index].split(b",")[:cut])
        file = b"\n".join(lines)
    elif breakage == "bytes":
        file = csv_of(*rows)
        position = data.draw(st.integers(len(HEADER) + 1, len(file) - 1))
        file = file[:position] + data.draw(st.sampled_from([b"\xff", b"\xc3(", b"\x00"])) + file[position:]
    else:
        columns = list(roster.COLUMNS)
        columns[data.draw(st.integers(0, len(columns) - 1))] = data.draw(st.sampled_from(["", "role", "Team name"]))
        file = csv_of(*[{new: row[old] for old, new in zip(roster.COLUMNS, columns, strict=True) if new}
                        for row in rows], header=tuple(column for column in columns if column))
    before = dump(session)
    with pytest.raises(roster.RosterRejected) as rejected:
        roster.import_roster(session, actor=world.admin, data=file)
    assert rejected.value.rows and all(problem.line >= 1 and problem.message for problem in rejected.value.rows)
    assert dump(session) == before


def _used(row: dict[str, str]) -> set[str]:
    record = row["record"]
    used = {"record"}
    used |= {"team": {"team", "setting"}, "person": {"email", "roles", "team", "starts_on", "name", "username"},
             "supervision": {"email", "supervisor_email", "functions", "starts_on", "ends_on"}}[record]
    return used
