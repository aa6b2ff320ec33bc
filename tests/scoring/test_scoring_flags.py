from datetime import date, timedelta

import pytest

import scoring
from scoring import ActionItemInput, AssessmentInput, FlagSettings, PulseInput, SessionInput

TODAY = date(2024, 5, 20)
EVERY_FUNCTION = frozenset({"administrative", "educational", "supportive"})


def days_ago(days):
    return TODAY - timedelta(days=days)


def assessment(days, burnout=30.0, cs=35.0, sts=25.0):
    return AssessmentInput(
        days_ago(days), {"burnout": burnout, "compassion_satisfaction": cs, "secondary_traumatic_stress": sts}
    )


def weekly_pulses(count=10, strain=30.0, caseload=20, **latest):
    pulses = [
        PulseInput(days_ago(7 * week), days_ago(7 * week), strain, frozenset(), caseload, False)
        for week in range(count)
    ]
    pulses[0] = PulseInput(**{**pulses[0].__dict__, **latest})
    return pulses


def flags_for(**overrides):
    inputs = {
        "today": TODAY,
        "assessments": [assessment(120), assessment(30)],
        "pulses": weekly_pulses(),
        "sessions": [SessionInput(days_ago(7), EVERY_FUNCTION)],
        "action_items": [ActionItemInput(days_ago(-3), False, "Send the referral list")],
    } | overrides
    return scoring.supervision_flags(**inputs)


def codes(flags):
    return [flag.code for flag in flags]


def only(flags, code):
    matching = [flag for flag in flags if flag.code == code]
    assert len(matching) == 1, codes(flags)
    return matching[0]


def test_a_quiet_week_raises_no_flags():
    assert flags_for() == []


def test_band_flags_on_the_latest_assessment():
    flags = flags_for(assessments=[assessment(200, burnout=45), assessment(30, burnout=42, cs=22, sts=41.9)])
    assert codes(flags) == ["low_compassion_satisfaction", "high_burnout"]
    burnout = only(flags, "high_burnout")
    assert (burnout.severity, burnout.suggested_function) == ("attention", "supportive")
    assert "Burnout was 42" in str(burnout.reason) and "2024-04-20" in str(burnout.reason) and "42 or more" in str(burnout.reason)
    assert "22 or less" in str(only(flags, "low_compassion_satisfaction").reason)


def test_prorated_score_just_above_the_low_cut_is_not_flagged():
    assert flags_for(assessments=[assessment(30, cs=22.2)]) == []


def test_reliable_worsening_needs_an_sd():
    worse = [assessment(120, burnout=25), assessment(30, burnout=38)]
    assert flags_for(assessments=worse) == []
    flags = flags_for(assessments=worse, baseline_sd_by_scale={"burnout": 6.0})
    flag = only(flags, "reliable_worsening_burnout")
    assert "25 to 38" in str(flag.reason) and "2024-01-21" in str(flag.reason) and "2024-04-20" in str(flag.reason)
    assert str(flag.window) == "2024-01-21 to 2024-04-20"
    improved = [assessment(120, burnout=38), assessment(30, burnout=25)]
    assert flags_for(assessments=improved, baseline_sd_by_scale={"burnout": 6.0}) == []


def test_unusual_strain():
    pulses = weekly_pulses(strain=30.0)
    pulses[1] = PulseInput(**{**pulses[1].__dict__, "strain": 70.0})
    pulses[0] = PulseInput(**{**pulses[0].__dict__, "strain": 60.0})
    flag = only(flags_for(pulses=pulses), "unusual_strain")
    assert "averaged 65.0" in str(flag.reason) and "median 30.0" in str(flag.reason)
    assert str(flag.window) == "last 14 days (2024-05-07 to 2024-05-20)"
    assert flag.suggested_function == "supportive"


def test_strain_needs_a_baseline():
    pulses = weekly_pulses(count=5, strain=30.0)
    pulses[0] = PulseInput(**{**pulses[0].__dict__, "strain": 90.0})
    assert "unusual_strain" not in codes(flags_for(pulses=pulses))


@pytest.mark.parametrize("exposure", ["death_of_person_served", "overdose_scene"])
def test_exposures_suggest_a_supportive_debrief(exposure):
    pulses = weekly_pulses()
    pulses[1] = PulseInput(**{**pulses[1].__dict__, "exposures": frozenset({exposure, "stigma_or_criticism"})})
    flags = flags_for(pulses=pulses)
    assert codes(flags) == [f"recent_{exposure}"]
    assert flags[0].suggested_function == "supportive" and "debrief" in str(flags[0].reason)
    assert "2024-05-13" in str(flags[0].reason)


def test_exposure_window_is_the_last_14_days():
    pulses = [
        PulseInput(days_ago(days), days_ago(days), 30.0, frozenset({"overdose_scene"}), 20, False) for days in (13, 14)
    ]
    assert "check-in of 2024-05-07." in str(only(flags_for(pulses=pulses), "recent_overdose_scene").reason)


def test_caseload_above_the_guideline():
    assert flags_for(pulses=weekly_pulses(caseload=30)) == []
    flag = only(flags_for(pulses=weekly_pulses(caseload=31)), "caseload_above_guideline")
    assert (flag.severity, flag.suggested_function) == ("attention", "administrative")
    assert "31" in str(flag.reason) and "guideline of 30" in str(flag.reason)


def test_caseload_rising_three_weeks_running():
    pulses = weekly_pulses(caseload=12)
    for week, caseload in enumerate((18, 16, 14)):
        pulses[week] = PulseInput(**{**pulses[week].__dict__, "caseload": caseload})
    flag = only(flags_for(pulses=pulses), "caseload_rising")
    assert "12 → 14 → 16 → 18" in str(flag.reason) and flag.severity == "info"


def test_caseload_not_rising_when_flat_or_with_a_gap():
    flat = weekly_pulses(caseload=12)
    for week, caseload in enumerate((18, 16, 16)):
        flat[week] = PulseInput(**{**flat[week].__dict__, "caseload": caseload})
    assert flags_for(pulses=flat) == []
    gap = [pulse for pulse in weekly_pulses(caseload=12) if pulse.taken_on != days_ago(14)]
    for week, caseload in enumerate((18, 16)):
        gap[week] = PulseInput(**{**gap[week].__dict__, "caseload": caseload})
    assert "caseload_rising" not in codes(flags_for(pulses=gap))


def test_asked_to_talk_is_urgent():
    flags = flags_for(pulses=weekly_pulses(wants_to_talk=True))
    assert codes(flags) == ["asked_to_talk"]
    assert (flags[0].severity, flags[0].suggested_function) == ("urgent", "supportive")


def test_checkin_overdue_after_ten_days():
    assert flags_for(pulses=[PulseInput(days_ago(10), days_ago(10), 30.0)]) == []
    late = [PulseInput(days_ago(11), days_ago(11), 30.0)]
    flag = only(flags_for(pulses=late), "checkin_overdue")
    assert "11 days" in str(flag.reason) and "2024-05-09" in str(flag.reason)
    assert codes(flags_for(pulses=[])) == ["checkin_overdue"]


def test_supervision_gaps():
    fourteen = [SessionInput(days_ago(14), EVERY_FUNCTION)]
    assert flags_for(sessions=fourteen) == []
    flags = flags_for(sessions=[SessionInput(days_ago(15), EVERY_FUNCTION)])
    flag = only(flags, "no_recent_supervision")
    assert "15 days" in str(flag.reason) and flag.suggested_function == "administrative"
    admin_only = [SessionInput(days_ago(3), frozenset({"administrative"})), SessionInput(days_ago(29), EVERY_FUNCTION)]
    flag = only(flags_for(sessions=admin_only), "no_supportive_supervision")
    assert "29 days" in str(flag.reason) and flag.suggested_function == "supportive"
    assert (
        flags_for(
            sessions=[SessionInput(days_ago(28), EVERY_FUNCTION), SessionInput(days_ago(1), frozenset({"educational"}))]
        )
        == []
    )
    assert codes(flags_for(sessions=[])) == ["no_recent_supervision", "no_supportive_supervision"]


def test_action_items_past_due():
    items = [
        ActionItemInput(days_ago(1), False, "Book the debrief"),
        ActionItemInput(days_ago(5), True, "Done already"),
        ActionItemInput(TODAY, False, "Due today"),
        ActionItemInput(days_ago(9), False, "Update the wellness plan"),
    ]
    flag = only(flags_for(action_items=items), "action_items_past_due")
    assert str(flag.reason) == (
        "2 action items past due: “Update the wellness plan” (due 2024-05-11); “Book the debrief” (due 2024-05-19)."
    )
    assert (flag.severity, flag.suggested_function) == ("info", "administrative")


def test_records_after_today_are_ignored():
    future = [PulseInput(days_ago(-2), days_ago(-2), 95.0, frozenset({"overdose_scene"}), 80, True)]
    assert flags_for(pulses=weekly_pulses() + future, assessments=[assessment(30), assessment(-1, burnout=50)]) == []


def test_flags_are_ordered_by_severity_and_urgency_ranks_cards():
    flags = flags_for(
        pulses=weekly_pulses(wants_to_talk=True, caseload=40),
        action_items=[ActionItemInput(days_ago(2), False, "Call back")],
    )
    assert [flag.severity for flag in flags] == ["urgent", "attention", "info"]
    assert scoring.urgency(flags) == 10_000 + 100 + 1
    many_attention = [only(flags, "caseload_above_guideline")] * 20
    assert scoring.urgency([flags[0]]) > scoring.urgency(many_attention)
    assert scoring.urgency([]) == 0


def test_settings_change_thresholds():
    settings = FlagSettings(caseload_guideline_max=15, checkin_overdue_days=3)
    flags = flags_for(pulses=[PulseInput(days_ago(5), days_ago(5), 30.0, caseload=20)], settings=settings)
    assert codes(flags) == ["caseload_above_guideline", "checkin_overdue"]
    with pytest.raises(scoring.ScoringError, match="supervision_gap_days"):
        FlagSettings(supervision_gap_days=0)


def test_bad_inputs_are_named():
    with pytest.raises(scoring.ScoringError, match="unknown scale 'burn_out'"):
        flags_for(assessments=[AssessmentInput(TODAY, {"burn_out": 30.0})])
    with pytest.raises(scoring.ScoringError, match="unknown function 'clinical'"):
        flags_for(sessions=[SessionInput(TODAY, frozenset({"clinical"}))])


def test_session_minutes_can_stand_in_for_session_inputs():
    sessions = [
        scoring.SessionMinutes(days_ago(3), administrative=10, supportive=0),
        scoring.SessionMinutes(days_ago(20), supportive=30),
    ]
    assert flags_for(sessions=sessions) == []


def with_outside_role(pulses, hours_by_week):
    for week, hours in enumerate(hours_by_week):
        pulses[week] = PulseInput(**{**pulses[week].__dict__, "hours_outside_role": hours})
    return pulses


def test_hours_outside_the_peer_role_above_the_threshold_raise_an_administrative_flag():
    flag = only(flags_for(pulses=with_outside_role(weekly_pulses(), (7.5,))), "outside_role_high")
    assert (flag.severity, flag.suggested_function) == ("attention", "administrative")
    assert "7.5 hours" in str(flag.reason) and "threshold of 6 hours" in str(flag.reason)
    assert flags_for(pulses=with_outside_role(weekly_pulses(), (6.0,))) == []
    lowered = FlagSettings(outside_role_hours_max=4.0)
    assert "outside_role_high" in codes(flags_for(pulses=with_outside_role(weekly_pulses(), (5.0,)),
                                                  settings=lowered))


def test_hours_outside_the_peer_role_rising_weeks_running_are_flagged_once():
    flag = only(flags_for(pulses=with_outside_role(weekly_pulses(), (4.0, 3.0, 2.0, 1.0))), "outside_role_rising")
    assert "1 → 2 → 3 → 4" in str(flag.reason) and flag.severity == "info"
    assert flags_for(pulses=with_outside_role(weekly_pulses(), (4.0, 3.0, 3.0, 1.0))) == []
    assert flags_for(pulses=with_outside_role(weekly_pulses(), (None, None))) == []
