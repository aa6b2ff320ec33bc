"""Delivering the outbox through the configured SMTP server, never one message twice.

How a message moves, each step committed before the next:

1. **claim**: a batch of due rows gets a claim token and a lease (`claimed_until`) in one UPDATE that only
   matches rows nobody holds (`claimed_until` empty or past); on PostgreSQL the rows are picked with
   SELECT … FOR UPDATE SKIP LOCKED, on SQLite the write lock serialises the claims. Two senders never
   hold the same row.
2. **sending**: just before the message is handed to the server, the row is marked `sending` (still under the
   claim). From here on the server may have accepted it.
3. **record**: right after the server answers, the row is marked `sent`, retried later (`pending` with the
   next attempt time) or `failed`.

A sender that stops between 1 and 2 leaves a claimed `pending` row: another sender takes it once the lease
passes, and nothing was sent yet. A sender that stops between 2 and 3 leaves a `sending` row whose lease
passes: whether the server accepted it cannot be known, so it is marked `unconfirmed` and never sent again
(at most once). Its Message-ID is stable per row, so if a mail server or client ever sees it twice it can
recognise the duplicate.

Temporary failures (4xx replies, timeouts, dropped or refused connections) are retried with exponential
backoff until MAX_ATTEMPTS or the message expires; 5xx replies fail the message at once. Logs carry ids,
kinds and SMTP reply codes only, never addresses or text.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, update
from sqlmodel import Session, col, or_, select

from console.core import clock
from console.core.program_settings import ProgramSettings, read_settings
from console.core.settings import MailSettings
from console.notify.kinds import KIND_BY_CODE
from console.notify.notifications import backup_contact, compose, quiet_until, recipient_language, suppression_reason
from db.engine import session_scope
from db.models import NotificationPreference, OutboxMessage, User

log = logging.getLogger("console.notify")

LEASE = timedelta(minutes=5)
"""Longer than a send can take (SMTP_TIMEOUT_SECONDS a step), so a live sender always records in time."""
SMTP_TIMEOUT_SECONDS = 30
MAX_ATTEMPTS = 8
BATCH_SIZE = 50
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd, 4th … attempt, at most LONGEST_WAIT."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    suppressed: int = 0
    quiet: int = 0
    unconfirmed: int = 0
    server_unreachable: bool = False


class TemporaryFailure(Exception):
    def __init__(self, outcome: str, *, connecting: bool = False) -> None:
        super().__init__(outcome)
        self.outcome = outcome
        self.connecting = connecting


class PermanentFailure(Exception):
    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


def _classify(error: Exception, *, connecting: bool) -> TemporaryFailure | PermanentFailure:
    """5xx replies are permanent; 4xx, timeouts and dropped connections are worth another try.

    A refused login (535) is a setting to fix, not a fault of the message, so it is retried."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = min(reply[0] for reply in error.recipients.values())
    elif isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
    elif isinstance(error, TimeoutError):
        return TemporaryFailure("timeout", connecting=connecting)
    else:
        return TemporaryFailure(f"connection: {type(error).__name__}", connecting=connecting)
    if 500 <= code < 600 and not isinstance(error, smtplib.SMTPAuthenticationError):
        return PermanentFailure(f"smtp {code}")
    return TemporaryFailure(f"smtp {code}", connecting=connecting)


class SmtpConnection:
    """One connection to the server, opened at the first message and reopened after any failure."""

    def __init__(self, mail: MailSettings, *, timeout: float = SMTP_TIMEOUT_SECONDS) -> None:
        self.mail = mail
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.mail.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.mail.host, self.mail.port, timeout=self.timeout,
                                                  context=context)
        else:
            smtp = smtplib.SMTP(self.mail.host, self.mail.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if self.mail.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.mail.user:
                smtp.login(self.mail.user, self.mail.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def connect(self) -> None:
        """Open the connection now; raises TemporaryFailure (connecting) when the server cannot be reached."""
        if self._smtp is not None:
            return
        try:
            self._smtp = self._connect()
        except (smtplib.SMTPException, OSError) as error:
            failure = _classify(error, connecting=True)
            raise TemporaryFailure(failure.outcome, connecting=True) from error

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server, or raise TemporaryFailure / PermanentFailure."""
        self.connect()
        assert self._smtp is not None
        try:
            self._smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise _classify(error, connecting=False) from error

    def close(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (smtplib.SMTPException, OSError):
            self._smtp.close()
        self._smtp = None


def _mark_unconfirmed(session: Session, now: datetime) -> int:
    """`sending` rows whose sender stopped before recording the answer: never sent again."""
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.status) == "sending", col(OutboxMessage.claimed_until) < now)
        .values(status="unconfirmed", outcome="sender stopped during delivery", claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount


def _claim(engine: Engine, *, now: datetime, report: DeliveryReport) -> tuple[str, list[int] | None]:
    """Claim up to BATCH_SIZE due rows for this sender; the claim is committed before anything is sent.

    None when nothing is due; an empty list when another sender claimed the due rows first."""
    token = uuid.uuid4().hex
    free = or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now)
    with session_scope(engine) as session:
        report.unconfirmed += _mark_unconfirmed(session, now)
        query = (select(OutboxMessage.id)
                 .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now, free)
                 .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id)).limit(BATCH_SIZE))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        candidates = list(session.exec(query).all())
        if not candidates:
            session.commit()
            return token, None
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(candidates), col(OutboxMessage.status) == "pending", free)
            .values(claimed_by=token, claimed_until=now + LEASE)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        claimed = session.exec(
            select(col(OutboxMessage.id)).where(col(OutboxMessage.claimed_by) == token).order_by(col(OutboxMessage.id))
        ).all()
    return token, list(claimed)


def _update_claimed(session: Session, *, message_id: int, token: str, **values: object) -> bool:
    result = session.execute(
        update(OutboxMessage).where(col(OutboxMessage.id) == message_id, col(OutboxMessage.claimed_by) == token).values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return cast(CursorResult[Any], result).rowcount == 1


def _release(**values: object) -> dict[str, object]:
    return {**values, "claimed_by": None, "claimed_until": None}


def record_sent(session: Session, *, message_id: int, token: str, now: datetime) -> None:
    """The server accepted the message."""
    _update_claimed(session, message_id=message_id, token=token, **_release(status="sent", sent_at=now, outcome="250"))


def _deliver_one(engine: Engine, connection: SmtpConnection, *, message_id: int, token: str,
                 program: ProgramSettings, report: DeliveryReport) -> None:
    with session_scope(engine) as session:
        now = clock.now()
        message = session.get(OutboxMessage, message_id)
        if message is None or message.claimed_by != token or message.status != "pending":
            return
        recipient = (session.get_one(User, message.recipient_id) if message.recipient_id is not None
                     else backup_contact(program))
        preference = (session.get(NotificationPreference, message.recipient_id) if message.recipient_id is not None
                      else None)
        reason = suppression_reason(message, recipient=recipient, preference=preference, program=program, now=now)
        if reason is not None:
            _update_claimed(session, message_id=message_id, token=token, **_release(status="suppressed", outcome=reason))
            report.suppressed += 1
            log.info("outbox %s suppressed: %s", message_id, reason)
            return
        quiet_end = None if KIND_BY_CODE[message.kind].urgent else quiet_until(preference, program=program, now=now)
        if quiet_end is not None:
            _update_claimed(session, message_id=message_id, token=token, **_release(next_attempt_at=quiet_end))
            report.quiet += 1
            return
        email = compose(message, recipient=recipient, mail=connection.mail,
                        language=recipient_language(recipient, program=program))
        attempts = message.attempts + 1
        connection.connect()
        if not _update_claimed(session, message_id=message_id, token=token, status="sending", attempts=attempts,
                               claimed_until=clock.now() + LEASE):
            return
        try:
            connection.send(email)
        except TemporaryFailure as failure:
            if attempts >= MAX_ATTEMPTS:
                _update_claimed(session, message_id=message_id, token=token,
                                **_release(status="failed", outcome=failure.outcome))
                report.failed += 1
                log.warning("outbox %s failed after %s attempts: %s", message_id, attempts, failure.outcome)
            else:
                _update_claimed(session, message_id=message_id, token=token,
                                **_release(status="pending", outcome=failure.outcome,
                                           next_attempt_at=now + retry_delay(attempts)))
                report.retrying += 1
                log.info("outbox %s will be retried (attempt %s): %s", message_id, attempts, failure.outcome)
            return
        except PermanentFailure as failure:
            _update_claimed(session, message_id=message_id, token=token,
                            **_release(status="failed", outcome=failure.outcome))
            report.failed += 1
            log.warning("outbox %s refused by the server: %s", message_id, failure.outcome)
            return
        record_sent(session, message_id=message_id, token=token, now=clock.now())
        report.sent += 1
        log.info("outbox %s sent", message_id)


def _release_claims(engine: Engine, *, token: str, message_ids: list[int]) -> None:
    """Give back rows claimed but not attempted, so the next run takes them without waiting for the lease."""
    with session_scope(engine) as session:
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(message_ids), col(OutboxMessage.claimed_by) == token,
                   col(OutboxMessage.status) == "pending")
            .values(claimed_by=None, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
        session.commit()


def deliver(engine: Engine, *, mail: MailSettings, limit: int = 1000, timeout: float = SMTP_TIMEOUT_SECONDS
            ) -> DeliveryReport:
    """Send due messages until none is left (or `limit` were handled). Safe to run in several processes."""
    report = DeliveryReport()
    connection = SmtpConnection(mail, timeout=timeout)
    handled = 0
    try:
        while handled < limit:
            token, claimed = _claim(engine, now=clock.now(), report=report)
            if claimed is None:
                break
            with session_scope(engine) as session:
                program = read_settings(session)
            for position, message_id in enumerate(claimed):
                try:
                    _deliver_one(engine, connection, message_id=message_id, token=token, program=program,
                                 report=report)
                except TemporaryFailure as failure:
                    report.server_unreachable = True
                    log.warning("the mail server cannot be reached (%s); the outbox waits for the next run",
                                failure.outcome)
                    _release_claims(engine, token=token, message_ids=claimed[position:])
                    return report
                handled += 1
    finally:
        connection.close()
    return report
