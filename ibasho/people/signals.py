"""Signals other apps may listen to."""

from django.dispatch import Signal

# Sent by `people.services.open_case` inside the transaction that opens the case, with keyword
# arguments case and by. Outreach gives the case its plan here, in the same transaction: an
# open case that nobody plans for is how people get dropped. Loaders that write cases in bulk
# send nothing and give each case its plan themselves.
case_opened = Signal()

# Sent by `people.services.create_people` (an imported name list) with keyword arguments cases
# and by, after the cases are written together: outreach gives each its plan, in bulk.
cases_opened = Signal()
