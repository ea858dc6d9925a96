"""A person's diary: profiles, check-ins and their entries, edits, field checks and local time."""
