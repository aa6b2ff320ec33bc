"""A small detector of details that may identify a person served, for free text in field-work records.

Records of field work hold nothing that identifies a person served (the design's rule 10). The detector looks for
four things and nothing else, so a peer gets a warning beside the field and can take the detail out:

- a phone number: ten digits, optionally after +1, grouped 3-3-4 with spaces, dots, dashes or (area code); or
  seven digits grouped 3-4 with a dash or dot;
- a date of birth: "DOB", "date of birth" or "born" followed by a date, or any full date with a year
  (3/14/1985, 03-14-85, 1985-03-14, March 14 1985, 14 March 1985);
- a street address: a house number, a street name and a street word (Street, St, Avenue, Ave, Road, Rd,
  Boulevard, Blvd, Drive, Dr, Lane, Ln, Way, Court, Ct, Place, Pl, Terrace, Circle, Highway, Hwy), an
  apartment or unit number (Apt 4B, Unit 12, #12), or a PO box;
- a name: a title before a capitalised word (Mr, Mrs, Ms, Miss, Mx, Dr), "named", "name is" or "called" before
  a capitalised word, or two capitalised words in the middle of a sentence that are not responder, place-kind,
  weekday or month words.

It is a prompt, never a guarantee: it misses what it does not look for and may warn about a harmless phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from console.core.i18n import N_, _

PHONE = re.compile(
    r"(?<![\w/.-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w/-])"
    r"|(?<![\w/.-])\d{3}[.-]\d{4}(?![\w/.-])"
)
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december"
          "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
FULL_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?!\d)"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    rf"|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?,?\s+\d{{4}})"
)
DATE_OF_BIRTH = re.compile(
    rf"(?:\b(?:dob|d\.o\.b\.?|date of birth|born(?: on)?)\b[:\s]*{FULL_DATE})|(?<![\w/.-]){FULL_DATE}(?![\w/])",
    re.IGNORECASE,
)
STREET_WORDS = ("street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|terrace|ter"
                "|circle|cir|highway|hwy")
ADDRESS = re.compile(
    rf"\b\d{{1,6}}\s+(?:[NSEW]\.?\s+)?(?:[A-Za-z0-9'-]+\s+){{1,3}}(?:{STREET_WORDS})\b\.?"
    r"|\b(?:apt|apartment|unit|suite|ste)\.?\s*#?\s*\d+[A-Za-z]?\b"
    r"|(?<!\w)#\d+[A-Za-z]?\b"
    r"|\bp\.?\s?o\.?\s+box\s+\d+",
    re.IGNORECASE,
)
TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z'-]+")
CALLED_NAME = re.compile(r"\b(?:[Nn]amed|[Nn]ame (?:is|was)|[Cc]alled|[Gg]oes by)\s+[A-Z][a-z'-]+")
TWO_CAPITALS = re.compile(r"(?<=[a-z,;:]\s)([A-Z][a-z'-]+)\s+([A-Z][a-z'-]+)")
NOT_NAME_WORDS = frozenset({
    "police", "sheriff", "ems", "fire", "department", "coroner", "crisis", "team", "hospital", "emergency", "room",
    "jail", "court", "county", "city", "center", "centre", "street", "park", "station", "unit", "mobile",
    "narcan", "naloxone", "peer", "support", "recovery", "treatment", "house", "shelter", "health", "behavioral",
    "behavioural", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "general", "memorial", "regional", "medical", "detox", "clinic", "office", "probation", "parole", "officer",
})
KIND_WORDS = {"phone": N_("a phone number"), "date_of_birth": N_("a date (of birth?)"), "address": N_("an address"),
              "name": N_("a name")}


@dataclass(frozen=True)
class Finding:
    kind: str
    """phone, date_of_birth, address or name."""
    text: str


def _names(text: str) -> list[str]:
    found = [match.group(0) for pattern in (TITLED_NAME, CALLED_NAME) for match in pattern.finditer(text)]
    found += [match.group(0) for match in TWO_CAPITALS.finditer(text)
              if not {match.group(1).lower(), match.group(2).lower()} & NOT_NAME_WORDS]
    return found


def identifying_details(text: str) -> tuple[Finding, ...]:
    """What in `text` looks like it may identify a person served, in the order of the kinds above."""
    findings = [Finding("phone", match.group(0).strip()) for match in PHONE.finditer(text)]
    findings += [Finding("date_of_birth", match.group(0).strip()) for match in DATE_OF_BIRTH.finditer(text)]
    findings += [Finding("address", match.group(0).strip()) for match in ADDRESS.finditer(text)]
    findings += [Finding("name", found) for found in _names(text)]
    return tuple(findings)


def warning(text: str) -> str | None:
    """The warning shown beside a field whose text may identify a person served, or None."""
    findings = identifying_details(text)
    if not findings:
        return None
    listed = "; ".join(_("{kind}: “{text}”", kind=_(KIND_WORDS[finding.kind]), text=finding.text)
                       for finding in findings[:3])
    return _("This may identify the person you served ({listed}). Please take it out: this record holds nothing "
             "about the people you serve. If it is not about them, tick the box to keep it as written.", listed=listed)
