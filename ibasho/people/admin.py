# People, households, family members, cases and consents are personal data: they are read and
# changed only through the audited pages, which also hold the rules (a case closes with a
# reason and a date). None of them is registered in the admin site, for anyone.
