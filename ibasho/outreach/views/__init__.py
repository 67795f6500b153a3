"""Outreach pages, by topic."""
