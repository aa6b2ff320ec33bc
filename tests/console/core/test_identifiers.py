"""The detector finds each pattern it states, wherever it sits in a note, and stays quiet on plain field-work text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from console.core.identifiers import identifying_details, warning

FIRST_NAMES = ["Maria", "James", "Keisha", "Tom", "Luis", "Ann", "Dmitri", "Grace"]
LAST_NAMES = ["Jones", "Garcia", "Okafor", "Smith", "Nguyen", "O'Brien", "Lee", "Patel"]
STREETS = ["Oak", "Main", "Martin Luther King", "5th", "Elm", "Cedar Hill"]
STREET_WORDS = ["Street", "St", "Avenue", "Ave", "Road", "Rd", "Blvd", "Drive", "Lane", "Way", "Court", "Hwy"]
MONTHS = ["January", "March", "Sept", "dec", "July"]
SAFE_NOTES = [
    "",
    "Long wait for EMS; I stayed with the family until the crisis team came.",
    "Police were respectful. Narcan worked after two doses.",
    "Hard one. I need to talk about it in supervision.",
    "We were on scene for 45 minutes and I gave 2 kits.",
    "Court ran late; the judge asked me to come back on Friday.",
    "Felt triggered at the jail, but I used my breathing.",
]
digits = st.integers(min_value=0, max_value=9).map(str)


def _wrapped(detail: str) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(SAFE_NOTES[1:] + [""]), st.sampled_from(SAFE_NOTES[1:] + [""])).map(
        lambda around: f"{around[0]} {detail} {around[1]}".strip())


def _kinds(text: str) -> set[str]:
    return {finding.kind for finding in identifying_details(text)}


@given(area=st.text("23456789", min_size=3, max_size=3), exchange=st.text("0123456789", min_size=3, max_size=3),
       line=st.text("0123456789", min_size=4, max_size=4),
       style=st.sampled_from(["{a}-{e}-{l}", "({a}) {e}-{l}", "{a}.{e}.{l}", "{a} {e} {l}", "+1 {a} {e} {l}",
                              "1-{a}-{e}-{l}", "{e}-{l}"]),
       data=st.data())
def test_a_phone_number_is_found(area, exchange, line, style, data):
    number = style.format(a=area, e=exchange, l=line)
    text = data.draw(_wrapped(number))
    assert "phone" in _kinds(text), text


@given(month=st.integers(1, 12), day=st.integers(1, 28), year=st.integers(1930, 2010),
       style=st.sampled_from(["{m}/{d}/{y}", "{m:02d}-{d:02d}-{yy:02d}", "{y}-{m:02d}-{d:02d}", "DOB {m}/{d}/{y}",
                              "born {mn} {d}, {y}", "{d} {mn} {y}", "date of birth: {y}-{m:02d}-{d:02d}"]),
       month_name=st.sampled_from(MONTHS), data=st.data())
def test_a_date_of_birth_is_found(month, day, year, style, month_name, data):
    written = style.format(m=month, d=day, y=year, yy=year % 100, mn=month_name)
    text = data.draw(_wrapped(written))
    assert "date_of_birth" in _kinds(text), text


@given(number=st.integers(1, 99999), street=st.sampled_from(STREETS), word=st.sampled_from(STREET_WORDS),
       unit=st.sampled_from(["", ", Apt 4B", ", Unit 12", " #7"]), data=st.data())
def test_a_street_address_is_found(number, street, word, unit, data):
    text = data.draw(_wrapped(f"at {number} {street} {word}{unit}"))
    assert "address" in _kinds(text), text


@given(unit=st.sampled_from(["Apt 12", "apartment 3", "unit 9C", "PO Box 114", "P.O. Box 7"]), data=st.data())
def test_an_apartment_or_po_box_is_found(unit, data):
    assert "address" in _kinds(data.draw(_wrapped(unit)))


@given(first=st.sampled_from(FIRST_NAMES), last=st.sampled_from(LAST_NAMES),
       style=st.sampled_from(["Mr. {l}", "Mrs {l}", "Ms {l}", "Dr. {l}", "named {f}", "her name is {f}",
                              "he goes by {f}", "I sat with {f} {l}", "called {f}"]),
       data=st.data())
def test_a_name_is_found(first, last, style, data):
    text = data.draw(_wrapped(style.format(f=first, l=last)))
    assert "name" in _kinds(text), text


@given(note=st.sampled_from(SAFE_NOTES))
def test_plain_field_work_notes_raise_no_warning(note):
    assert identifying_details(note) == ()
    assert warning(note) is None


@given(text=st.text(max_size=300))
def test_any_text_is_handled(text):
    findings = identifying_details(text)
    assert (warning(text) is None) == (findings == ())


def test_the_warning_says_what_to_do():
    message = warning("Call Ms Garcia on 555-201-3344")
    assert message is not None
    assert "a phone number: “555-201-3344”" in message and "a name" in message
    assert "take it out" in message and "tick the box" in message
