"""Real SMTP servers on loopback for the notification tests: one that accepts, ones that refuse or fail for a
while (aiosmtpd), and raw sockets that never greet or drop the connection mid-message.

Every message any of them receives is checked, at the end of its test, for wellness data reaching anyone but
the peer it is about (`assert_no_wellness_data_leaks`).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from sqlmodel import Session, select

import scoring
from console.core.settings import MailSettings
from db.models import PulseCheckin, User
from tests.supervision_data import PRIVATE_NOTE, PRIVATE_REFLECTION, RAW_NUMBERS, SHARED_NOTE

BASE_URL = "https://wellness.example.org"
FROM = "Peer Wellness Console <wellness@example.org>"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mail_settings(port: int) -> MailSettings:
    return MailSettings(host="127.0.0.1", port=port, security="none", user=None, password=None,
                        from_address=FROM, base_url=BASE_URL)


@dataclass
class Received:
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return f"{self.message['Subject']}\n{self.message.get_content()}"


@dataclass
class Handler:
    """Answers DATA with the scripted replies in turn (a 4xx or 5xx line), then accepts; RCPT refused with
    `refuse_recipient` when set."""

    replies: list[str] = field(default_factory=list)
    refuse_recipient: str | None = None
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipient:
            return self.refuse_recipient
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.replies:
            return self.replies.pop(0)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(handler: Handler) -> Iterator[MailSettings]:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield mail_settings(controller.port)
    finally:
        controller.stop()


@contextmanager
def raw_server(behaviour: str) -> Iterator[MailSettings]:
    """`silent`: accepts connections and never says a word (a timeout). `drop`: speaks SMTP until the message
    is sent, then closes the connection without answering it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()
    connections: list[socket.socket] = []

    def converse(connection: socket.socket) -> None:
        reader = connection.makefile("rb")
        connection.sendall(b"220 test ESMTP\r\n")
        in_data = False
        for line in reader:
            if in_data:
                if line == b".\r\n":
                    connection.close()
                    return
                continue
            command = line[:4].upper()
            if command in (b"EHLO", b"HELO"):
                connection.sendall(b"250 test\r\n")
            elif command == b"DATA":
                in_data = True
                connection.sendall(b"354 go ahead\r\n")
            elif command == b"QUIT":
                connection.sendall(b"221 bye\r\n")
                connection.close()
                return
            else:
                connection.sendall(b"250 OK\r\n")

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connections.append(connection)
            if behaviour == "drop":
                threading.Thread(target=converse, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield mail_settings(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        for connection in connections:
            connection.close()
        listener.close()


def wellness_canaries() -> tuple[str, ...]:
    """Strings that are wellness data in the test world: scores, notes, exposure names, scale names, bands."""
    pulse = scoring.load_instrument("weekly-pulse")
    proqol = scoring.load_instrument("proqol-style-30")
    exposure_words = [word for option in pulse.checklists["exposures"] for word in (option.code, option.label)]
    scale_words = [scale.label for scale in proqol.scales.values()] + list(proqol.scales)
    return (*RAW_NUMBERS, SHARED_NOTE, PRIVATE_NOTE, PRIVATE_REFLECTION, "overdose", "burnout", "Burnout",
            "band", "score", *exposure_words, *scale_words)


def assert_no_wellness_data_leaks(session: Session, received: list[Received]) -> None:
    """No message to anyone carries wellness data, nor the name of a peer other than its recipient."""
    session.expire_all()
    people = session.exec(select(User)).all()
    by_address = {user.email: user for user in people if user.email}
    notes = [note for note in session.exec(select(PulseCheckin.note)).all() if note]
    for item in received:
        recipient = by_address.get(item.recipients[0])
        for canary in (*wellness_canaries(), *notes):
            assert canary not in item.text, f"wellness data {canary!r} in a message"
        for peer in people:
            if peer.has_role("peer") and peer is not recipient:
                for name in (peer.display_name, peer.username):
                    assert name not in item.text, f"a peer's name in a message to someone else: {name!r}"
