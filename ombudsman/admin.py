"""The ombudsman app has no admin at all, on purpose.

Concerns, replies, the access log and the form tokens are not a way for a superuser,
staff or the committee to reach a concern (docs/ombudsman.md;
tests/ombudsman/test_confidentiality.py holds it). Who holds the office is a term of
the "Ombudsman" office, which the executive committee adds in the elections admin
(*Elections and officers → Terms*).
"""
