"""Figures for program leads: aggregates only, released under one rule."""
