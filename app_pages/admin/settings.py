import streamlit as st

from console.core import clock, program_settings
from console.core.dates import WEEKDAYS
from console.core.errors import ValidationError
from console.core.i18n import LANGUAGES, N_, _, n_, show_weekday
from console.notify import notifications
from console.notify.kinds import OPTIONAL_KINDS, split_codes
from console.web import ui

CADENCE_WORDS = {"weekly": N_("weekly"), "biweekly": N_("biweekly")}

ui.require_role("admin")
PROBLEMS = "settings_problems"
SAVED = "settings_saved"
st.title(_("Program settings"))

today = clock.today()
current = ui.call(program_settings.settings_for_admin, on=today)
stored = ui.call(program_settings.stored_problems, on=today)
problems: dict[str, str] = st.session_state.get(PROBLEMS, {})
if stored and not problems:
    st.warning(_("A stored setting needs your attention: the pages that use it say it is not available until it "
                 "is fixed here."), icon=":material/build:")
    for message in stored.values():
        ui.plain_text(message)


def field_problem(name: str) -> None:
    if name in problems:
        st.error(ui.escape_markdown(problems[name]), icon=":material/error:")


with st.form("settings"):
    anonymity_k = st.number_input(
        program_settings.label("anonymity_k"), step=1, value=current.anonymity_k, key="setting_anonymity_k",
        help=_("From 3 to 50. A team figure built from fewer distinct peers than this is withheld on every lead "
               "page and report; small teams are pooled. 5 or more is recommended."),
    )
    field_problem("anonymity_k")
    if current.anonymity_warning is not None:
        st.warning(current.anonymity_warning, icon=":material/visibility:")
    supervision_cadence = st.selectbox(
        program_settings.label("supervision_cadence"), options=list(program_settings.CADENCES),
        index=program_settings.CADENCES.index(current.supervision_cadence), key="setting_supervision_cadence",
        format_func=lambda cadence: _(CADENCE_WORDS.get(cadence, cadence)),
    )
    field_problem("supervision_cadence")
    assessment_cadence_days = st.number_input(
        _("Self-assessment every … days"), step=1, value=current.assessment_cadence_days,
        key="setting_assessment_cadence_days", help=_("From 7 to 365 days."),
    )
    field_problem("assessment_cadence_days")
    assessment_instrument = st.text_input(program_settings.label("assessment_instrument"),
                                          value=current.assessment_instrument, key="setting_assessment_instrument")
    field_problem("assessment_instrument")
    support_contact = st.text_area(_("Program support contact (shown beside 988 on every peer page)"),
                                   value=current.support_contact, key="setting_support_contact")
    field_problem("support_contact")
    instruments_folder = st.text_input(_("Folder of extra instrument files (optional)"),
                                       value=current.instruments_folder, key="setting_instruments_folder")
    field_problem("instruments_folder")
    st.header(_("Thresholds and windows"), anchor=False)
    st.caption(_("They prompt a conversation; none is a clinical cut-off. Every page and report uses the same "
                 "values."))
    thresholds = {}
    for setting in program_settings.THRESHOLD_SETTINGS:
        number = int if setting.whole else float
        thresholds[setting.name] = st.number_input(
            _(setting.label), step=number(1 if setting.whole else 0.5), value=number(getattr(current, setting.name)),
            help=_("{help} From {minimum} to {maximum}.", help=_(setting.help), minimum=f"{setting.minimum:g}",
                   maximum=f"{setting.maximum:g}"), key=f"setting_{setting.name}",
        )
        field_problem(setting.name)
    save_column, summary_column = st.columns([1, 3], vertical_alignment="center")
    save = save_column.form_submit_button(_("Save settings"), type="primary")
    if problems:
        summary_column.error(n_("Nothing was saved: {count} setting to fix, marked above.",
                                "Nothing was saved: {count} settings to fix, marked above.", len(problems)),
                             icon=":material/error:")
        field_problem("form")
    elif st.session_state.pop(SAVED, False):
        summary_column.success(_("Settings saved."), icon=":material/check_circle:")

if save:
    changes = {
        "anonymity_k": anonymity_k,
        "supervision_cadence": supervision_cadence,
        "assessment_cadence_days": assessment_cadence_days,
        "assessment_instrument": assessment_instrument,
        "support_contact": support_contact,
        "instruments_folder": instruments_folder,
        **thresholds,
    }
    try:
        ui.call(program_settings.write_settings, changes=changes, on=today)
    except ValidationError as problem:
        st.session_state[PROBLEMS] = problem.problems or {"form": str(problem)}
        st.session_state[SAVED] = False
    else:
        st.session_state.pop(PROBLEMS, None)
        st.session_state[SAVED] = True
    st.rerun()

st.divider()
st.header(_("Working hours"))
st.caption(_("A call-out that starts outside these hours, or on a day that is not a working day, counts as after "
             "hours (program time zone)."))
HOURS_PROBLEMS = "working_hours_problems"
hours_problems: dict[str, str] = st.session_state.get(HOURS_PROBLEMS, {})
with st.form("working_hours"):
    hours_start = st.text_input(program_settings.label("working_hours_start"), value=current.working_hours_start,
                                key="setting_working_hours_start")
    if "working_hours_start" in hours_problems:
        st.error(ui.escape_markdown(hours_problems["working_hours_start"]), icon=":material/error:")
    hours_end = st.text_input(program_settings.label("working_hours_end"), value=current.working_hours_end,
                              key="setting_working_hours_end")
    if "working_hours_end" in hours_problems:
        st.error(ui.escape_markdown(hours_problems["working_hours_end"]), icon=":material/error:")
    days = st.multiselect(program_settings.label("working_days"), options=WEEKDAYS,
                          default=list(current.working_day_codes),
                          format_func=show_weekday, key="setting_working_days")
    if "working_days" in hours_problems:
        st.error(ui.escape_markdown(hours_problems["working_days"]), icon=":material/error:")
    save_hours = st.form_submit_button(_("Save working hours"), type="primary")
    if st.session_state.pop("working_hours_saved", False):
        st.success(_("Working hours saved."), icon=":material/check_circle:")
if save_hours:
    try:
        ui.call(program_settings.write_settings, on=today, changes={
            "working_hours_start": hours_start, "working_hours_end": hours_end,
            "working_days": program_settings.working_days_text(days),
        })
    except ValidationError as problem:
        st.session_state[HOURS_PROBLEMS] = problem.problems or {"working_hours_start": str(problem)}
    else:
        st.session_state.pop(HOURS_PROBLEMS, None)
        st.session_state["working_hours_saved"] = True
    st.rerun()

st.divider()
st.header(_("Email notifications"))
mail = ui.runtime().settings.mail
if mail is None:
    st.warning(
        _("Notifications are off: no email server is set. Set CONSOLE_SMTP_HOST, CONSOLE_MAIL_FROM and "
          "CONSOLE_BASE_URL (see the README), then run `wellness-console notify` from cron, a systemd timer, or "
          "with `--loop`.")
    )
else:
    st.success(_("Notifications are on."))
    st.text(_("Server: {host}:{port} ({security}). From: {sender}. Links: {base_url}", host=mail.host, port=mail.port,
              security=mail.security, sender=mail.from_address, base_url=mail.base_url))
counts = ui.call(notifications.outbox_counts)
sent, failed, suppressed, waiting, unconfirmed = st.columns(5)
sent.metric(_("Sent"), counts.sent)
failed.metric(_("Failed"), counts.failed)
suppressed.metric(_("Suppressed"), counts.suppressed)
waiting.metric(_("Waiting"), counts.waiting)
unconfirmed.metric(_("Unconfirmed"), counts.unconfirmed)
st.caption(
    _("Messages of the last {days} days. Suppressed: turned off by the person or the program, no email address, an "
      "inactive account, or too late to be useful. Unconfirmed: the sender stopped while handing the message to "
      "the server; it is never sent twice, so it may not have arrived.", days=counts.days)
)
off = set(split_codes(current.notifications_off))
with st.form("notification_settings"):
    time_zone = st.text_input(_("Program time zone (IANA name)"), value=current.time_zone, key="setting_time_zone",
                              help=_("Reminders and quiet hours follow this clock, e.g. America/Chicago."))
    language_codes = list(LANGUAGES)
    language = st.selectbox(_("Program language"), options=language_codes, format_func=LANGUAGES.__getitem__,
                            index=language_codes.index(current.language) if current.language in LANGUAGES else 0,
                            key="setting_language",
                            help=_("The language of pages and emails for everyone who has not chosen their own."))
    reminder_weekday = st.selectbox(_("Weekly check-in reminder on"), options=WEEKDAYS, format_func=show_weekday,
                                    index=WEEKDAYS.index(current.reminder_weekday), key="setting_reminder_weekday")
    reminder_time = st.text_input(_("Reminder time (HH:MM, 24-hour clock)"), value=current.reminder_time,
                                  key="setting_reminder_time",
                                  help=_("Also the time of day for self-assessment and action item reminders."))
    prep_digest_weekday = st.selectbox(_("Supervisors' prep sheet email on"), options=WEEKDAYS, format_func=show_weekday,
                                       index=WEEKDAYS.index(current.prep_digest_weekday), key="setting_prep_digest_weekday")
    reach_out_response_hours = st.number_input(
        _("Supervisors get in touch after \"please reach out\" within … hours"), min_value=1, max_value=168, step=1,
        value=current.reach_out_response_hours, key="setting_reach_out_response_hours",
        help=_("Shown to the peer and in the supervisor's email."),
    )
    backup_contact_email = st.text_input(
        _("Field safety backup contact email (optional)"), value=current.backup_contact_email,
        key="setting_backup_contact_email",
        help=_("Also alerted, with the supervisors, when a peer's field visit check-in is overdue or they ask for "
               "help and no supervisor has acknowledged it. A duty phone's email or a shared inbox works best."),
    )
    st.write(_("Kinds of email the program sends:"))
    kinds_on = [kind.code for kind in OPTIONAL_KINDS
                if st.checkbox(_(kind.label), value=kind.code not in off, key=f"program_kind_{kind.code}")]
    save_notifications = st.form_submit_button(_("Save notification settings"), type="primary")
if save_notifications:
    changes = {
        "time_zone": time_zone,
        "language": language,
        "reminder_weekday": reminder_weekday,
        "reminder_time": reminder_time,
        "prep_digest_weekday": prep_digest_weekday,
        "reach_out_response_hours": reach_out_response_hours,
        "backup_contact_email": backup_contact_email,
        "notifications_off": ",".join(kind.code for kind in OPTIONAL_KINDS if kind.code not in kinds_on),
    }
    try:
        ui.call(program_settings.write_settings, changes=changes, on=clock.today())
    except ValidationError as problem:
        for message in problem.problems.values() or [str(problem)]:
            st.error(ui.escape_markdown(message))
    else:
        st.success(_("Notification settings saved."))
