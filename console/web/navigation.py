"""The pages of each role, as data: the entry point builds its navigation from it, and the benchmark
measures the same pages.

A role with many pages groups them into sections (`PageSpec.section`), in the order a person reaches for
them: a peer at the end of a shift, on a phone, finds this week's check-in at the top and the rest under a
few short headings instead of one long list."""

from __future__ import annotations

from dataclasses import dataclass

from console.core.i18n import N_


@dataclass(frozen=True)
class PageSpec:
    script: str
    title: str
    """In English, marked for translation: shown as `_(title)`."""
    icon: str
    url_path: str
    section: str | None = None
    """The menu heading the page sits under, in English, marked for translation; None for a role whose few
    pages need no headings."""


THIS_WEEK = N_("This week")
MY_WELLNESS = N_("My wellness")
MY_WORK = N_("My work")
SUPERVISION_AND_PRIVACY = N_("Supervision and privacy")

ROLE_PAGES: dict[str, tuple[PageSpec, ...]] = {
    "peer": (
        PageSpec("app_pages/peer/home.py", N_("Home"), ":material/home:", "home", THIS_WEEK),
        PageSpec("app_pages/peer/checkin.py", N_("Weekly check-in"), ":material/edit_note:", "check-in", THIS_WEEK),
        PageSpec("app_pages/peer/assessment.py", N_("Self-assessment"), ":material/checklist:", "self-assessment",
                 THIS_WEEK),
        PageSpec("app_pages/peer/trends.py", N_("My trends"), ":material/show_chart:", "trends", MY_WELLNESS),
        PageSpec("app_pages/peer/plan.py", N_("Wellness plan"), ":material/self_improvement:", "plan", MY_WELLNESS),
        PageSpec("app_pages/peer/support.py", N_("Support now"), ":material/favorite:", "support", MY_WELLNESS),
        PageSpec("app_pages/peer/callouts.py", N_("Call-out log"), ":material/emergency:", "call-outs", MY_WORK),
        PageSpec("app_pages/peer/field_visit.py", N_("Field visit"), ":material/directions_walk:", "field-visit",
                 MY_WORK),
        PageSpec("app_pages/peer/ethics.py", N_("Ethics self-check"), ":material/balance:", "ethics", MY_WORK),
        PageSpec("app_pages/peer/training.py", N_("Training"), ":material/school:", "training", MY_WORK),
        PageSpec("app_pages/peer/my_supervision.py", N_("My supervision"), ":material/forum:", "my-supervision",
                 SUPERVISION_AND_PRIVACY),
        PageSpec("app_pages/peer/privacy.py", N_("Privacy and sharing"), ":material/visibility:", "privacy",
                 SUPERVISION_AND_PRIVACY),
    ),
    "supervisor": (
        PageSpec("app_pages/supervisor/prep.py", N_("Weekly supervision prep"), ":material/event_note:", "prep"),
        PageSpec("app_pages/supervisor/record_session.py", N_("Record a session"), ":material/edit_note:", "session"),
        PageSpec("app_pages/supervisor/action_items.py", N_("Action items"), ":material/task_alt:", "action-items"),
        PageSpec("app_pages/supervisor/supervisees.py", N_("My supervisees"), ":material/groups:", "supervisees"),
        PageSpec("app_pages/supervisor/load.py", N_("My supervision load"), ":material/balance:", "supervision-load"),
        PageSpec("app_pages/supervisor/training.py", N_("Training and renewals"), ":material/school:", "team-training"),
        PageSpec("app_pages/supervisor/callouts.py", N_("Call-outs and debriefs"), ":material/support:", "callouts-debriefs"),
    ),
    "lead": (
        PageSpec("app_pages/lead/overview.py", N_("Program overview"), ":material/monitoring:", "overview"),
        PageSpec("app_pages/lead/workload.py", N_("Workload"), ":material/work_history:", "workload"),
        PageSpec("app_pages/lead/coverage.py", N_("Supervision coverage"), ":material/diversity_3:", "supervision-coverage"),
        PageSpec("app_pages/lead/reports.py", N_("Reports"), ":material/download:", "reports"),
        PageSpec("app_pages/lead/action_plans.py", N_("Action plans"), ":material/checklist_rtl:", "action-plans"),
        PageSpec("app_pages/lead/equity.py", N_("Equity lens"), ":material/balance:", "equity-lens"),
        PageSpec("app_pages/lead/callouts.py", N_("Call-outs"), ":material/emergency:", "call-outs-by-team"),
    ),
    "admin": (
        PageSpec("app_pages/admin/accounts.py", N_("Accounts"), ":material/manage_accounts:", "accounts"),
        PageSpec("app_pages/admin/teams.py", N_("Teams and supervision"), ":material/group_work:", "teams"),
        PageSpec("app_pages/admin/roster.py", N_("Import roster"), ":material/upload_file:", "import-roster"),
        PageSpec("app_pages/admin/settings.py", N_("Program settings"), ":material/tune:", "settings"),
        PageSpec("app_pages/admin/audit.py", N_("Audit log"), ":material/policy:", "audit"),
    ),
}
"""Each role's pages in menu order; the first is the landing page. A role's pages have sections all or
none, and a section's pages stand together."""

SUPPORT_PATH = "support"
"""The peer's crisis and support page, linked on its own at the top of every peer's menu too."""


def menu_sections(role: str) -> list[tuple[str | None, tuple[PageSpec, ...]]]:
    """The role's pages grouped under their menu headings, in menu order; one group headed None for a role
    without sections."""
    groups: list[tuple[str | None, tuple[PageSpec, ...]]] = []
    for spec in ROLE_PAGES[role]:
        if groups and groups[-1][0] == spec.section:
            groups[-1] = (spec.section, (*groups[-1][1], spec))
        else:
            groups.append((spec.section, (spec,)))
    return groups
