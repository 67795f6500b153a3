"""Signals other apps may listen to."""

from django.dispatch import Signal

# Sent after the transaction that stored the administration commits, with keyword arguments
# person, administration and reason (the flag keys joined by commas, e.g. "phq9_item9").
# A safety-event feature hooks in here; the flagged administration is stored either way.
safety_flag_raised = Signal()
