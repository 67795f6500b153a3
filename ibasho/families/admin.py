# Safety events, plans and circumstances are personal data, changed only through the app, which
# audits them. The organisation's risk thresholds and crisis contacts have their own audited
# page (families:risk_settings), so the admin site does not offer a second, unaudited door.
