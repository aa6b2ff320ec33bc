"""Email notifications: writing messages to the outbox, what each says, and who chose to receive what.

A service enqueues a message in the same transaction as the event that causes it; `console.notify.mail_sender`
delivers it later. Messages never carry wellness data: no score, band, note, exposure or name of the peer
concerned. They say there is something to look at and link to the page. The subject and body are composed
when the message is sent, from the kind and a few plain parameters (ids, counts, ISO dates, a supervisor's name
for the peer they now supervise), so a person's choices, quiet hours and language at sending time are the ones
that count: every email is written in its recipient's language (`recipient_language`), in `compose` only.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, cast
from urllib.parse import quote

from cryptography.fernet import InvalidToken
from sqlalchemy import CursorResult, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, func, select

from console.core import audit, clock, i18n
from console.core.dates import time_of_day, time_zone
from console.core.errors import PermissionDenied, ValidationError
from console.core.i18n import N_, _, n_
from console.core.program_settings import ProgramSettings, read_settings
from console.core.settings import MailSettings
from console.notify.kinds import (
    ACTION_ITEM_DUE,
    ACTION_ITEMS_OVERDUE,
    ASSESSMENT_DUE,
    CALLOUT_LOGGED,
    CHECKIN_REMINDER,
    DEBRIEF_TO_OFFER,
    FIELD_VISIT_BACKUP,
    FIELD_VISIT_HELP,
    FIELD_VISIT_OVERDUE,
    FIGURES_RELEASED,
    INVITATION,
    KIND_BY_CODE,
    NEW_VIEWER,
    PASSWORD_CHANGED,
    PREP_DIGEST,
    REACH_OUT,
    SIGN_IN_AFTER_RESET,
    Kind,
    kinds_for_roles,
    split_codes,
)
from console.policy.access import WELLNESS_FUNCTIONS, Action, authorize, my_supervisors
from db.crypto import key_ring
from db.models import NotificationPreference, OutboxMessage, ReachOutRequest, User, table_of

DEFAULT_LIFETIME = timedelta(days=3)
"""A message not delivered by then is dropped: a late reminder helps nobody."""
COUNTS_WINDOW_DAYS = 30
INSERT_CHUNK = 500
UNSUBSCRIBE_PAGE = "unsubscribe"
MAIL_POLICY = policy.SMTP.clone(max_line_length=998)
"""Lines up to the 998 characters RFC 5322 allows, so a link, in the body or List-Unsubscribe, stays whole."""
ACCOUNT_PAGE = "account"
FIELD_SAFETY_PATH = "prep"
"""Field visit alerts open the supervisor's prep sheet, where open alerts are pinned on top with "Acknowledge"."""


@dataclass(frozen=True)
class Outgoing:
    """One email to enqueue: see `enqueue` for what `key` and `params` mean. A `recipient` of None is the
    program's backup contact, addressed from the settings when the message is sent."""

    recipient: User | None
    key: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    expires_at: datetime | None = None


def enqueue(
    session: Session,
    *,
    recipient: User,
    kind: Kind,
    key: str | None = None,
    params: dict[str, Any] | None = None,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> bool:
    """Add an email for `recipient` to the outbox, in the caller's transaction (the caller commits).

    `key` names the event or period (e.g. "12:2026-W53" for a weekly reminder): enqueuing the same kind and
    key again, even from two processes at once, adds nothing. Without a key every call adds a message.
    `params` may hold `path` (the page the link opens, with its query) and the plain values a kind shows;
    an invitation takes `path` (its one-time link) and `expires_at`. Dates and moments are stored as ISO text
    and shown in the recipient's language when the message is sent.
    Params are stored encrypted, so a link that is a secret stays one at rest. Returns True when added.
    """
    message = Outgoing(recipient=recipient, key=key, params=params or {}, expires_at=expires_at)
    return enqueue_many(session, kind=kind, messages=[message], now=now) == 1


def enqueue_many(session: Session, *, kind: Kind, messages: Sequence[Outgoing], now: datetime | None = None) -> int:
    """`enqueue` for many messages of one kind, a few statements in all; returns how many were added."""
    now = now or clock.now()
    table = table_of(OutboxMessage)
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    added = 0
    for start in range(0, len(messages), INSERT_CHUNK):
        rows = [
            {
                "recipient_id": message.recipient.id if message.recipient is not None else None,
                "kind": kind.code,
                "params": message.params,
                "dedupe_key": f"{kind.code}:{message.key if message.key is not None else uuid.uuid4().hex}",
                "message_id": uuid.uuid4().hex,
                "status": "pending",
                "created_at": now,
                "expires_at": message.expires_at or now + DEFAULT_LIFETIME,
                "next_attempt_at": now,
                "attempts": 0,
                "outcome": "",
            }
            for message in messages[start:start + INSERT_CHUNK]
        ]
        statement = (insert(table).values(rows).on_conflict_do_nothing(index_elements=["dedupe_key"])
                     .returning(table.c.id))
        added += len(session.execute(statement).all())
    return added


def backup_contact(program: ProgramSettings) -> User:
    """The program's backup contact as the recipient of a message: an address from the settings, no account."""
    return User(username="backup-contact", display_name="Backup contact", email=program.backup_contact_email or None,
                roles=frozenset(), password_hash="")


def cancel_pending(session: Session, *, kind: Kind, key_prefix: str) -> int:
    """Suppress messages of a kind not yet handed to the mail server (the caller commits)."""
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.dedupe_key).startswith(f"{kind.code}:{key_prefix}", autoescape=True),
               col(OutboxMessage.status) == "pending")
        .values(status="suppressed", outcome="withdrawn", claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount


def reach_out_requested(session: Session, *, request: ReachOutRequest, response_hours: int) -> None:
    """Email every supervisor who supervises the peer's wellness; the message does not say who asked."""
    peer = session.get_one(User, request.peer_id)
    supervisors = [mine.supervisor for mine in my_supervisors(session, actor=peer)
                   if mine.functions & WELLNESS_FUNCTIONS]
    for supervisor in supervisors:
        enqueue(session, recipient=supervisor, kind=REACH_OUT, key=f"{request.id}:{supervisor.id}",
                params={"response_hours": response_hours})


@dataclass(frozen=True)
class Template:
    """What a kind says, in English, marked for translation. `body` is a message, or a function of the fields
    that writes it (for a plural); either runs in the recipient's language."""

    subject: str
    body: str | Callable[[Mapping[str, Any]], str]
    path: str


def _overdue_items_body(fields: Mapping[str, Any]) -> str:
    return n_("{count} action item set in your supervision sessions passed its due date and is still open.",
              "{count} action items set in your supervision sessions passed their due date and are still open.",
              _count(fields.get("count")))


# What each kind says. Bodies name no peer and hold no wellness fact; `{...}` fields come from params.
TEMPLATES: dict[str, Template] = {
    CHECKIN_REMINDER.code: Template(
        N_("Your weekly check-in"),
        N_("This week's check-in is open. It takes under two minutes, and what you write stays yours unless you "
           "choose to share it."),
        "check-in",
    ),
    ASSESSMENT_DUE.code: Template(
        N_("Your self-assessment is due"),
        N_("Your periodic self-assessment is due. Your results are yours; your supervisor sees only what you "
           "choose to share."),
        "self-assessment",
    ),
    ACTION_ITEM_DUE.code: Template(
        N_("An action item from supervision is due tomorrow"),
        N_("An action item from your supervision is due tomorrow."),
        "home",
    ),
    REACH_OUT.code: Template(
        N_("A supervisee asked you to reach out"),
        N_("Someone you supervise pressed \"Please reach out to me\" in the console. Your program asks that you "
           "get in touch within {response_hours} hours. Open your prep sheet to see who; the request is pinned on "
           "top."),
        "prep",
    ),
    PREP_DIGEST.code: Template(
        N_("Your supervision prep sheet is ready"),
        N_("Your weekly supervision prep sheet is ready.\n\n"
           "People you supervise: {supervisees}\n"
           "Check-ins this week: {checkins}\n"
           "Open requests to reach out: {reach_outs}\n"
           "Overdue action items from your sessions: {overdue_items}"),
        "prep",
    ),
    ACTION_ITEMS_OVERDUE.code: Template(
        N_("Action items from your sessions are overdue"),
        _overdue_items_body,
        "action-items",
    ),
    NEW_VIEWER.code: Template(
        N_("Someone new can see your data"),
        N_("{supervisor} now supervises you ({functions}). What a supervisor sees follows your sharing choice on "
           "\"Privacy and sharing\". If you did not expect this, talk to your program lead or admin."),
        "privacy",
    ),
    PASSWORD_CHANGED.code: Template(
        N_("Your password was changed"),
        N_("The password of your console account was changed. If this was not you, ask your admin to reset your "
           "password now."),
        ACCOUNT_PAGE,
    ),
    SIGN_IN_AFTER_RESET.code: Template(
        N_("Your account was signed in to after a password reset"),
        N_("Someone signed in to your console account after an admin reset its password. If this was not you, "
           "ask your admin to reset your password now and tell your program lead."),
        ACCOUNT_PAGE,
    ),
    FIELD_VISIT_OVERDUE.code: Template(
        N_("A field visit check-in is overdue"),
        N_("A field visit check-in of someone you supervise is overdue: they have not checked back in. Open the "
           "console to see who and to acknowledge it. This message repeats until a supervisor acknowledges it."),
        FIELD_SAFETY_PATH,
    ),
    FIELD_VISIT_HELP.code: Template(
        N_("Someone on a field visit asked for help"),
        N_("Someone you supervise pressed \"I need help\" during a field visit. If their life may be in danger, "
           "call 911. Open the console to see who and to acknowledge it."),
        FIELD_SAFETY_PATH,
    ),
    FIELD_VISIT_BACKUP.code: Template(
        N_("A field visit check-in is overdue (you are the program's backup contact)"),
        N_("A peer's field visit check-in is overdue or they asked for help, and no supervisor has acknowledged "
           "it yet. You receive this as the program's backup contact: please follow your program's field safety "
           "procedure and reach the supervisor on duty."),
        FIELD_SAFETY_PATH,
    ),
    CALLOUT_LOGGED.code: Template(
        N_("A supervisee logged a call-out"),
        N_("Someone you supervise logged a call-out. Open Call-outs and debriefs to see it, as far as they share "
           "it."),
        "callouts-debriefs",
    ),
    DEBRIEF_TO_OFFER.code: Template(
        N_("Please offer a debrief after a hard call"),
        N_("Someone you supervise had a hard call. Your program asks that you offer them a debrief by {due} "
           "({window_hours} hours after the call). Open Call-outs and debriefs to see who and to record it."),
        "callouts-debriefs",
    ),
    FIGURES_RELEASED.code: Template(
        N_("Monthly program figures are released"),
        N_("The program figures for {month} are released: {released} of {cells} team figures are shown, the "
           "others are withheld or pooled to protect people's privacy. They will not change."),
        "overview",
    ),
    INVITATION.code: Template(
        N_("You are invited to the Peer Wellness Console"),
        N_("An account was made for you in your program's Peer Wellness Console. Open the link to choose your "
           "own password. {expires}"),
        "",
    ),
}
FUNCTION_WORDS = {"administrative": N_("administrative"), "educational": N_("educational"),
                  "supportive": N_("supportive")}


class _Fields(dict):
    """Template fields from params; a field a caller left out reads as empty."""

    def __missing__(self, name: str) -> str:
        return ""


def _count(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def function_words(functions: str) -> str:
    """Supervision functions stored as "supportive,administrative" (or with ", "), in the reader's language."""
    codes = [code.strip() for code in functions.split(",") if code.strip()]
    return i18n.show_list(_(FUNCTION_WORDS[code]) if code in FUNCTION_WORDS else code for code in codes)


def _moment(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _shown_fields(params: Mapping[str, Any]) -> _Fields:
    """The params as the recipient reads them: dates and moments (stored as ISO text) in their language.

    A value that is not ISO text (a message enqueued before the language was applied here) is shown as it is."""
    fields = _Fields(params)
    if "functions" in params:
        fields["functions"] = function_words(str(params["functions"]))
    if (due := _moment(params.get("due"))) is not None:
        fields["due"] = f"{i18n.show_day(due.astimezone(UTC))}, {due.astimezone(UTC):%H:%M} UTC"
    if (month := _day(params.get("month"))) is not None:
        fields["month"] = i18n.show_month(month)
    if (link_expires := _moment(params.get("expires_at"))) is not None:
        fields["expires"] = _("The link works once, until {moment}; after that, ask your administrator for a new "
                              "one.", moment=i18n.show_time(link_expires, zone_name="UTC"))
    return fields


def _link(mail: MailSettings, path: str) -> str:
    return f"{mail.base_url}/{path.lstrip('/')}"


def recipient_language(recipient: User, *, program: ProgramSettings) -> str:
    """The language a person's email is written in: theirs, else the program's (always, for the backup contact)."""
    return i18n.supported(recipient.language or program.language)


def unsubscribe_token(*, user_id: int, kind: Kind) -> str:
    """A token that turns off one kind of email for one person; encrypted and authenticated with the keys."""
    return key_ring().encrypt(json.dumps({"user": user_id, "kind": kind.code}).encode()).decode("ascii")


def compose(message: OutboxMessage, *, recipient: User, mail: MailSettings, language: str) -> EmailMessage:
    """The email for an outbox row, written in `language` (see `recipient_language`) when it is sent. Its
    Message-ID is stable per row, so a duplicate can be recognised."""
    with i18n.use_language(language):
        return _compose(message, recipient=recipient, mail=mail)


def _compose(message: OutboxMessage, *, recipient: User, mail: MailSettings) -> EmailMessage:
    template = TEMPLATES[message.kind]
    kind = KIND_BY_CODE[message.kind]
    params = message.params or {}
    fields = _shown_fields(params)
    text = template.body(fields) if callable(template.body) else _(template.body).format_map(fields)
    link = _link(mail, params.get("path", template.path))
    lines = [text, "", _("Open the console: {link}", link=link), ""]
    email = EmailMessage(policy=MAIL_POLICY)
    if kind.optional:
        unsubscribe = _link(mail, f"{UNSUBSCRIBE_PAGE}?token={quote(unsubscribe_token(user_id=recipient.id, kind=kind))}")
        lines += [
            _("You receive this because \"{kind}\" is on for your account.", kind=_(kind.label)),
            _("Stop these emails with one click: {link}", link=unsubscribe),
            _("Choose what you receive and your quiet hours on My account: {link}", link=_link(mail, ACCOUNT_PAGE)),
        ]
        email["List-Unsubscribe"] = f"<{unsubscribe}>"
    email["Subject"] = _(template.subject)
    email["From"] = mail.from_address
    email["To"] = recipient.email
    email["Date"] = format_datetime(clock.now())
    email["Message-ID"] = f"<{message.message_id}@{mail.sender_domain}>"
    email["Auto-Submitted"] = "auto-generated"
    email.set_content("\n".join(lines) + "\n")
    email["Content-Language"] = i18n.current_language()
    return email


@dataclass(frozen=True)
class Unsubscribed:
    kind: str
    label: str


def _read_token(token: str) -> tuple[int, Kind]:
    invalid = ValidationError(_("This unsubscribe link is not valid. Choose what you receive on My account."))
    try:
        content = json.loads(key_ring().decrypt(token.strip().encode("ascii")))
    except (InvalidToken, ValueError, UnicodeEncodeError) as error:
        raise invalid from error
    kind = KIND_BY_CODE.get(str(content.get("kind"))) if isinstance(content, dict) else None
    if kind is None or not kind.optional or not isinstance(content.get("user"), int):
        raise invalid
    return content["user"], kind


def _preference(session: Session, user_id: int) -> NotificationPreference:
    return session.get(NotificationPreference, user_id) or NotificationPreference(user_id=user_id)


def _set_muted(session: Session, *, user_id: int, kind: Kind, muted: bool) -> None:
    preference = _preference(session, user_id)
    codes = preference.muted_kinds
    preference.muted_kinds = codes | {kind.code} if muted else codes - {kind.code}
    preference.updated_at = clock.now()
    session.add(preference)


def unsubscribe(session: Session, *, token: str, resubscribe: bool = False) -> Unsubscribed:
    """Turn off (or back on) the kind of email named in a link's token; needs no sign-in."""
    user_id, kind = _read_token(token)
    if session.get(User, user_id) is None:
        raise ValidationError(_("This unsubscribe link is not valid. Choose what you receive on My account."))
    _set_muted(session, user_id=user_id, kind=kind, muted=not resubscribe)
    audit.record(session, actor=None, action="notifications_resubscribed" if resubscribe else "notifications_unsubscribed",
                 subject_id=user_id, resource_type="notification_preference", detail=kind.code)
    session.commit()
    return Unsubscribed(kind=kind.code, label=_(kind.label))


@dataclass(frozen=True)
class KindChoice:
    code: str
    label: str
    receiving: bool
    off_for_program: bool


@dataclass(frozen=True)
class MyNotifications:
    has_address: bool
    choices: tuple[KindChoice, ...]
    quiet_start: str
    quiet_end: str
    time_zone: str


def _current(session: Session, actor: User) -> User:
    user = session.get(User, actor.id)
    if user is None or not user.active:
        raise PermissionDenied(_("Not allowed: this account is inactive."))
    return user


def my_notifications(session: Session, *, actor: User) -> MyNotifications:
    user = _current(session, actor)
    preference = _preference(session, user.id)
    muted = preference.muted_kinds
    program = read_settings(session)
    program_off = set(split_codes(program.notifications_off))
    return MyNotifications(
        has_address=bool(user.email),
        choices=tuple(KindChoice(kind.code, _(kind.label), kind.code not in muted, kind.code in program_off)
                      for kind in kinds_for_roles(user.role_set)),
        quiet_start=preference.quiet_start,
        quiet_end=preference.quiet_end,
        time_zone=program.time_zone,
    )


def save_my_notifications(
    session: Session, *, actor: User, receive: list[str], quiet_start: str, quiet_end: str
) -> MyNotifications:
    """Store which kinds the person receives and their quiet hours (both times, or neither)."""
    user = _current(session, actor)
    offered = {kind.code for kind in kinds_for_roles(user.role_set)}
    problems = {}
    if set(receive) - offered:
        problems["receive"] = _("Choose among the kinds of email listed.")
    start, end = quiet_start.strip(), quiet_end.strip()
    if start or end:
        if time_of_day(start) is None:
            problems["quiet_start"] = _("Enter when quiet hours start as HH:MM, e.g. 21:00, or leave both empty.")
        if time_of_day(end) is None:
            problems["quiet_end"] = _("Enter when quiet hours end as HH:MM, e.g. 07:00, or leave both empty.")
        if not problems and time_of_day(start) == time_of_day(end):
            problems["quiet_end"] = _("Quiet hours must end at a different time than they start.")
    if problems:
        raise ValidationError(_("Your notification choices were not saved: {problems}",
                                problems=" ".join(problems.values())), problems=problems)
    preference = _preference(session, user.id)
    preference.muted_kinds = preference.muted_kinds - offered | (offered - set(receive))
    preference.quiet_start = f"{time_of_day(start):%H:%M}" if start else ""
    preference.quiet_end = f"{time_of_day(end):%H:%M}" if end else ""
    preference.updated_at = clock.now()
    session.add(preference)
    audit.record(session, actor=user, action="notification_preferences_changed", subject_id=user.id,
                 resource_type="notification_preference")
    session.commit()
    return my_notifications(session, actor=user)


def suppression_reason(message: OutboxMessage, *, recipient: User, preference: NotificationPreference | None,
                       program: ProgramSettings, now: datetime) -> str | None:
    """Why a message must not go out, or None when it may."""
    kind = KIND_BY_CODE[message.kind]
    if now >= message.expires_at:
        return "expired"
    if not recipient.active and kind is not INVITATION:
        return "inactive"
    if not recipient.email:
        return "no_address"
    if kind.optional and kind.code in split_codes(program.notifications_off):
        return "program_off"
    if kind.optional and preference is not None and kind.code in preference.muted_kinds:
        return "opted_out"
    return None


def quiet_until(preference: NotificationPreference | None, *, program: ProgramSettings,
                now: datetime) -> datetime | None:
    """The end of the recipient's quiet hours when `now` falls in them (program time zone), else None."""
    if preference is None or not preference.quiet_start or not preference.quiet_end:
        return None
    start, end = time_of_day(preference.quiet_start), time_of_day(preference.quiet_end)
    if start is None or end is None:
        return None
    zone = time_zone(program.time_zone)
    local = now.astimezone(zone)
    moment = local.time().replace(tzinfo=None)
    wraps = start > end
    inside = (moment >= start or moment < end) if wraps else start <= moment < end
    if not inside:
        return None
    end_day = local.date() + timedelta(days=1) if wraps and moment >= start else local.date()
    return datetime.combine(end_day, end, tzinfo=zone)


@dataclass(frozen=True)
class OutboxCounts:
    days: int
    waiting: int
    sent: int
    failed: int
    suppressed: int
    unconfirmed: int


def outbox_counts(session: Session, *, actor: User) -> OutboxCounts:
    """Messages of the last COUNTS_WINDOW_DAYS by outcome, for the admin page: numbers only."""
    authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
    since = clock.now() - timedelta(days=COUNTS_WINDOW_DAYS)
    counts = dict(session.exec(
        select(OutboxMessage.status, func.count()).where(OutboxMessage.created_at >= since)
        .group_by(OutboxMessage.status)
    ).all())
    return OutboxCounts(
        days=COUNTS_WINDOW_DAYS,
        waiting=counts.get("pending", 0) + counts.get("sending", 0),
        sent=counts.get("sent", 0),
        failed=counts.get("failed", 0),
        suppressed=counts.get("suppressed", 0),
        unconfirmed=counts.get("unconfirmed", 0),
    )
