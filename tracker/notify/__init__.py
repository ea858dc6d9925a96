"""Telling contacts: the delivery queue, the transports (e-mail, apprise) and the worker."""
