"""Triage: sentiment, cause, severity and risk flags for review texts."""
