# Programmes and sessions are created and changed on their own audited pages, which keep
# contacts in step when a session moves; the admin site does not offer a second door (its
# facilitator choice also listed every account of the installation). Enrolments and attendance
# are personal data.
