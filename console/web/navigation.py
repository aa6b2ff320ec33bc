"""The pages of each role, as data: the entry point builds its navigation from it, and the benchmark
measures the same pages."""

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


ROLE_PAGES: dict[str, tuple[PageSpec, ...]] = {
    "peer": (
        PageSpec("app_pages/peer/home.py", N_("Home"), ":material/home:", "home"),
        PageSpec("app_pages/peer/checkin.py", N_("Weekly check-in"), ":material/edit_note:", "check-in"),
        PageSpec("app_pages/peer/assessment.py", N_("Self-assessment"), ":material/checklist:", "self-assessment"),
        PageSpec("app_pages/peer/trends.py", N_("My trends"), ":material/show_chart:", "trends"),
        PageSpec("app_pages/peer/plan.py", N_("Wellness plan"), ":material/self_improvement:", "plan"),
        PageSpec("app_pages/peer/my_supervision.py", N_("My supervision"), ":material/forum:", "my-supervision"),
        PageSpec("app_pages/peer/privacy.py", N_("Privacy and sharing"), ":material/visibility:", "privacy"),
        PageSpec("app_pages/peer/field_visit.py", N_("Field visit"), ":material/directions_walk:", "field-visit"),
        PageSpec("app_pages/peer/ethics.py", N_("Ethics self-check"), ":material/balance:", "ethics"),
        PageSpec("app_pages/peer/training.py", N_("Training"), ":material/school:", "training"),
        PageSpec("app_pages/peer/callouts.py", N_("Call-out log"), ":material/emergency:", "call-outs"),
        PageSpec("app_pages/peer/support.py", N_("Support now"), ":material/favorite:", "support"),
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
"""Each role's pages in menu order; the first is the landing page."""
