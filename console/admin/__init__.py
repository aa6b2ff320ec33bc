"""Accounts, teams, assignments and the roster: the admin's area, with no path to wellness data."""
