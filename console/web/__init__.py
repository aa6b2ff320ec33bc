"""Streamlit plumbing, the pages of each role, and the chart builders."""
