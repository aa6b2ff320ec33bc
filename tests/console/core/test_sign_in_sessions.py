"""Sign-in tokens: what starts, keeps, and ends a sign-in that survives reloads, and that a token stops
working after sign-out, idle time, its absolute end and deactivation."""

from datetime import timedelta

from sqlmodel import select

from console.admin.accounts import set_account_active
from console.core import clock, sign_in_sessions
from db.models import SignInSession

IDLE = timedelta(minutes=30)


def test_a_token_signs_its_person_in_and_only_its_hash_is_stored(session, world):
    token = sign_in_sessions.start(session, user=world.peer)
    assert len(token) >= 43
    assert sign_in_sessions.resolve(session, token=token, idle=IDLE).id == world.peer.id
    [stored] = session.exec(select(SignInSession)).all()
    assert token not in stored.token_hash and stored.user_id == world.peer.id
    assert sign_in_sessions.resolve(session, token=token[:-1] + ("A" if token[-1] != "A" else "B"), idle=IDLE) is None
    assert sign_in_sessions.resolve(session, token="", idle=IDLE) is None


def test_signing_out_ends_the_token_for_every_tab_that_uses_it(session, world):
    token = sign_in_sessions.start(session, user=world.peer)
    other = sign_in_sessions.start(session, user=world.peer)
    sign_in_sessions.end(session, token=token)
    assert sign_in_sessions.resolve(session, token=token, idle=IDLE) is None
    assert sign_in_sessions.resolve(session, token=other, idle=IDLE).id == world.peer.id


def test_use_keeps_a_token_alive_and_idle_time_ends_it(session, world):
    start = clock.now()
    token = sign_in_sessions.start(session, user=world.peer, now=start)
    used = start + timedelta(minutes=25)
    assert sign_in_sessions.resolve(session, token=token, idle=IDLE, now=used) is not None
    assert sign_in_sessions.resolve(session, token=token, idle=IDLE, now=used + timedelta(minutes=29)) is not None
    later = used + timedelta(minutes=29) + IDLE + timedelta(seconds=1)
    assert sign_in_sessions.resolve(session, token=token, idle=IDLE, now=later) is None


def test_a_token_in_constant_use_still_ends_at_its_absolute_end(session, world):
    start = clock.now()
    token = sign_in_sessions.start(session, user=world.peer, now=start)
    moment = start
    while moment + timedelta(minutes=20) < start + sign_in_sessions.ABSOLUTE_LIFETIME:
        moment += timedelta(minutes=20)
        assert sign_in_sessions.resolve(session, token=token, idle=IDLE, now=moment) is not None
    end = start + sign_in_sessions.ABSOLUTE_LIFETIME
    assert sign_in_sessions.resolve(session, token=token, idle=IDLE, now=end) is None


def test_deactivation_ends_every_token_of_the_person_and_reactivation_does_not_revive_them(session, world):
    tokens = [sign_in_sessions.start(session, user=world.peer) for _ in range(2)]
    someone_else = sign_in_sessions.start(session, user=world.supervisor)
    set_account_active(session, actor=world.admin, user_id=world.peer.id, active=False, on=world.today)
    assert all(sign_in_sessions.resolve(session, token=token, idle=IDLE) is None for token in tokens)
    set_account_active(session, actor=world.admin, user_id=world.peer.id, active=True, on=world.today)
    assert all(sign_in_sessions.resolve(session, token=token, idle=IDLE) is None for token in tokens)
    assert sign_in_sessions.resolve(session, token=someone_else, idle=IDLE).id == world.supervisor.id


def test_a_token_of_a_deactivated_person_stops_working_even_if_not_revoked(session, world):
    token = sign_in_sessions.start(session, user=world.peer)
    world.peer.active = False
    session.add(world.peer)
    session.commit()
    assert sign_in_sessions.resolve(session, token=token, idle=IDLE) is None
