"""The Program committee's workspace, one module per group of models; importing them
registers their admins."""

from meetings.admin import abstracts, invited, meetings, reviews

__all__ = ["abstracts", "invited", "meetings", "reviews"]
