from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import text
from sqlmodel import func, select

from console.core.errors import PermissionDenied, ValidationError
from console.wellness import drafts
from db.models import FormDraft, utcnow

PERIOD = "2026-11-23"
ANSWERS = {"pulse_energy": 4, "pulse_note": "A hard week at the jail."}


def test_a_draft_comes_back_to_its_owner_and_a_later_save_replaces_it(session, world):
    drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD, payload=ANSWERS)
    assert drafts.load_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD) == ANSWERS
    drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD, payload={"pulse_energy": 2})
    assert drafts.load_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD) == {"pulse_energy": 2}
    assert session.exec(select(func.count()).select_from(FormDraft)).one() == 1
    assert drafts.load_draft(session, actor=world.peer, kind="weekly_checkin", period="2026-11-30") is None
    assert drafts.load_draft(session, actor=world.peer, kind="supervision_session", period=PERIOD) is None


def test_nobody_else_reads_a_draft_not_even_the_supervisor_lead_or_admin(session, world):
    drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD, payload=ANSWERS)
    for other in (world.other_peer, world.peer_scores, world.supervisor):
        assert drafts.load_draft(session, actor=other, kind="weekly_checkin", period=PERIOD) is None
        drafts.discard_draft(session, actor=other, kind="weekly_checkin", period=PERIOD)
    for other in (world.lead, world.admin):
        assert drafts.load_draft(session, actor=other, kind="weekly_checkin", period=PERIOD) is None
    assert drafts.load_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD) == ANSWERS


def test_an_inactive_account_keeps_and_reads_no_draft(session, world):
    drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD, payload=ANSWERS)
    world.peer.active = False
    session.add(world.peer)
    session.commit()
    with pytest.raises(PermissionDenied):
        drafts.load_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD)
    with pytest.raises(PermissionDenied):
        drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD, payload=ANSWERS)


def test_a_draft_expires_after_fourteen_days_and_is_then_deleted(session, world):
    drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD, payload=ANSWERS)
    with time_machine.travel(utcnow() + timedelta(days=drafts.DRAFT_DAYS, minutes=1), tick=False):
        assert drafts.load_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD) is None
        drafts.save_draft(session, actor=world.other_peer, kind="weekly_checkin", period=PERIOD, payload={})
    owners = session.exec(select(FormDraft.owner_id)).all()
    assert owners == [world.other_peer.id]


def test_discarding_deletes_the_draft(session, world):
    drafts.save_draft(session, actor=world.supervisor, kind="supervision_session", period="peer-7", payload=ANSWERS)
    drafts.discard_draft(session, actor=world.supervisor, kind="supervision_session", period="peer-7")
    assert drafts.load_draft(session, actor=world.supervisor, kind="supervision_session", period="peer-7") is None


def test_unknown_kinds_periods_and_huge_drafts_are_refused(session, world):
    with pytest.raises(ValidationError):
        drafts.save_draft(session, actor=world.peer, kind="diary", period=PERIOD, payload={})
    with pytest.raises(ValidationError):
        drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period="", payload={})
    with pytest.raises(ValidationError):
        drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD,
                          payload={"pulse_note": "x" * (drafts.MAX_PAYLOAD_CHARACTERS + 1)})


def test_a_draft_is_encrypted_at_rest(session, world):
    canary = "canary-draft-4f1c2a"
    drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD,
                      payload={"pulse_note": f"I said {canary} in private"})
    raw = session.connection().execute(text("SELECT payload FROM formdraft")).scalar_one()
    assert raw.startswith("gAAAAA") and canary not in raw


def test_saving_or_discarding_a_draft_keeps_the_data_version_cached_page_results_are_keyed_by(session, world):
    """Drafts are only ever read by their owner, through a service that is never cached: an autosave must not
    empty every cached page result (a lead's figures among them)."""
    from db.state import data_version

    before = data_version(session)
    drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD, payload=ANSWERS)
    drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD, payload={"pulse_energy": 2})
    drafts.discard_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD)
    assert data_version(session) == before


def test_a_write_a_page_can_show_still_moves_the_data_version_in_the_same_transaction_as_a_draft(session, world):
    from sqlmodel import update

    from db.models import ActionItem
    from db.state import data_version

    before = data_version(session)
    drafts.save_draft(session, actor=world.peer, kind="weekly_checkin", period=PERIOD, payload=ANSWERS)
    assert data_version(session) == before
    session.add(FormDraft(owner_id=world.peer.id, kind="supervision_session", period="7", payload={"a": 1},
                          updated_at=utcnow(), expires_at=utcnow() + timedelta(days=1)))
    session.add(ActionItem(owner_id=world.peer.id, text="Call back"))
    session.commit()
    assert data_version(session) == before + 1
    drafts.discard_draft(session, actor=world.peer, kind="supervision_session", period="7")
    session.exec(update(FormDraft).values(kind=FormDraft.kind))
    session.commit()
    assert data_version(session) == before + 1, "a statement on the drafts table alone does not count"
    session.exec(update(ActionItem).values(status="done"))
    session.commit()
    assert data_version(session) == before + 2
