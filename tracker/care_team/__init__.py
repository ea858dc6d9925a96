"""Who may see and do what: access, accounts, sharing, contacts, outcomes and my data."""
