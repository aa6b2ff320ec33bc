"""Supervision: the supervisor's week, sessions, action items and the view of a supervisee."""
