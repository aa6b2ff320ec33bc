"""The pages of each role, as data: the entry point builds its navigation from it, and the benchmark
measures the same pages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    script: str
    title: str
    icon: str
    url_path: str


ROLE_PAGES: dict[str, tuple[PageSpec, ...]] = {
    "peer": (
        PageSpec("app_pages/peer/home.py", "Home", ":material/home:", "home"),
        PageSpec("app_pages/peer/checkin.py", "Weekly check-in", ":material/edit_note:", "check-in"),
        PageSpec("app_pages/peer/assessment.py", "Self-assessment", ":material/checklist:", "self-assessment"),
        PageSpec("app_pages/peer/trends.py", "My trends", ":material/show_chart:", "trends"),
        PageSpec("app_pages/peer/plan.py", "Wellness plan", ":material/self_improvement:", "plan"),
        PageSpec("app_pages/peer/my_supervision.py", "My supervision", ":material/forum:", "my-supervision"),
        PageSpec("app_pages/peer/privacy.py", "Privacy and sharing", ":material/visibility:", "privacy"),
        PageSpec("app_pages/peer/support.py", "Support now", ":material/favorite:", "support"),
    ),
    "supervisor": (
        PageSpec("app_pages/supervisor/prep.py", "Weekly supervision prep", ":material/event_note:", "prep"),
        PageSpec("app_pages/supervisor/record_session.py", "Record a session", ":material/edit_note:", "session"),
        PageSpec("app_pages/supervisor/action_items.py", "Action items", ":material/task_alt:", "action-items"),
        PageSpec("app_pages/supervisor/supervisees.py", "My supervisees", ":material/groups:", "supervisees"),
        PageSpec("app_pages/supervisor/load.py", "My supervision load", ":material/balance:", "supervision-load"),
    ),
    "lead": (
        PageSpec("app_pages/lead/overview.py", "Program overview", ":material/monitoring:", "overview"),
        PageSpec("app_pages/lead/workload.py", "Workload", ":material/work_history:", "workload"),
        PageSpec("app_pages/lead/coverage.py", "Supervision coverage", ":material/diversity_3:", "supervision-coverage"),
        PageSpec("app_pages/lead/reports.py", "Reports", ":material/download:", "reports"),
    ),
    "admin": (
        PageSpec("app_pages/admin/accounts.py", "Accounts", ":material/manage_accounts:", "accounts"),
        PageSpec("app_pages/admin/teams.py", "Teams and supervision", ":material/group_work:", "teams"),
        PageSpec("app_pages/admin/settings.py", "Program settings", ":material/tune:", "settings"),
        PageSpec("app_pages/admin/audit.py", "Audit log", ":material/policy:", "audit"),
    ),
}
"""Each role's pages in menu order; the first is the landing page."""
