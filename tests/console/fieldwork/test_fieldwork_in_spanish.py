"""Field-work texts built by the services, in Spanish."""

from __future__ import annotations

from console.core import identifiers
from console.core.i18n import use_language
from console.fieldwork import trainings


def test_the_renewal_column_names_the_renewal_window():
    assert f" {trainings.RENEWAL_WINDOW_DAYS} days" in trainings.COUNT_COLUMNS["renewal_due"]


def test_a_kind_s_own_name_is_shown_in_the_reader_s_language_and_a_given_name_as_typed():
    stored = trainings.KINDS["peer_certification"]
    with use_language("es"):
        assert trainings.shown_name(kind="peer_certification", name=stored) == "Certificación estatal de apoyo entre pares"
        assert trainings.shown_name(kind="other", name="Naloxone train-the-trainer") == "Naloxone train-the-trainer"
    assert trainings.shown_name(kind="peer_certification", name="") == stored


def test_the_identifying_details_warning_is_in_spanish():
    with use_language("es"):
        warning = identifiers.warning("Call her at 555-201-3344")
    assert warning is not None
    assert warning.startswith("Esto podría identificar a la persona a quien apoyó (un número de teléfono: “555-201-3344”)")
