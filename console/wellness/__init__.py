"""The peer's own data: check-ins, self-assessments, trends, the wellness plan and support."""
