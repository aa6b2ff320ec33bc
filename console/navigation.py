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
        PageSpec("pages/peer_home.py", "Home", ":material/home:", "home"),
        PageSpec("pages/peer_checkin.py", "Weekly check-in", ":material/edit_note:", "check-in"),
        PageSpec("pages/peer_assessment.py", "Self-assessment", ":material/checklist:", "self-assessment"),
        PageSpec("pages/peer_trends.py", "My trends", ":material/show_chart:", "trends"),
        PageSpec("pages/peer_plan.py", "Wellness plan", ":material/self_improvement:", "plan"),
        PageSpec("pages/peer_supervision.py", "My supervision", ":material/forum:", "my-supervision"),
        PageSpec("pages/peer_privacy.py", "Privacy and sharing", ":material/visibility:", "privacy"),
        PageSpec("pages/peer_support.py", "Support now", ":material/favorite:", "support"),
    ),
    "supervisor": (
        PageSpec("pages/supervisor_prep.py", "Weekly supervision prep", ":material/event_note:", "prep"),
        PageSpec("pages/supervisor_session.py", "Record a session", ":material/edit_note:", "session"),
        PageSpec("pages/supervisor_action_items.py", "Action items", ":material/task_alt:", "action-items"),
        PageSpec("pages/supervisor_supervisees.py", "My supervisees", ":material/groups:", "supervisees"),
        PageSpec("pages/supervisor_load.py", "My supervision load", ":material/balance:", "supervision-load"),
    ),
    "lead": (
        PageSpec("pages/lead_overview.py", "Program overview", ":material/monitoring:", "overview"),
        PageSpec("pages/lead_workload.py", "Workload", ":material/work_history:", "workload"),
        PageSpec("pages/lead_supervision.py", "Supervision coverage", ":material/diversity_3:", "supervision-coverage"),
        PageSpec("pages/lead_reports.py", "Reports", ":material/download:", "reports"),
    ),
    "admin": (
        PageSpec("pages/admin_accounts.py", "Accounts", ":material/manage_accounts:", "accounts"),
        PageSpec("pages/admin_teams.py", "Teams and supervision", ":material/group_work:", "teams"),
        PageSpec("pages/admin_roster.py", "Import roster", ":material/upload_file:", "import-roster"),
        PageSpec("pages/admin_settings.py", "Program settings", ":material/tune:", "settings"),
        PageSpec("pages/admin_audit.py", "Audit log", ":material/policy:", "audit"),
    ),
}
"""Each role's pages in menu order; the first is the landing page."""
