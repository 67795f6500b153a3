# Contacts, plans and their history hold personal data and are managed through the audited
# pages, not the admin site; the organisation's thresholds have their own audited page
# (outreach:settings).
