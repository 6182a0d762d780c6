"""Who may do what with the newsletter, declared once (views and admin use these)."""

import rules

from accounts.rules import is_newsletter_editor

# Newsletter editors curate the newsletter; superusers may step in.
can_edit_newsletter = rules.is_active & (is_newsletter_editor | rules.is_superuser)
# Drafts are shown on the site only to signed-in staff who edit the newsletter.
can_preview = can_edit_newsletter & rules.is_staff

rules.add_perm("newsletters.preview_issue", can_preview)
rules.add_perm("newsletters.publish_issue", can_edit_newsletter)
# Importing a back issue (the admin's upload; the command is run by whoever runs the
# server) creates and changes issues like the editors' own forms do.
rules.add_perm("newsletters.import_issue", can_edit_newsletter)
# Putting an article back to an earlier revision is an edit like any other (it is itself
# saved as a new revision), so it is the editors' too.
rules.add_perm("newsletters.restore_article_revision", can_edit_newsletter)
# An issue's too: a restore puts back its text and files, never its status or publication
# time, so it is not a publication (which stays the publish action's).
rules.add_perm("newsletters.restore_issue_revision", can_edit_newsletter)


@rules.predicate
def is_article_author(user, article) -> bool:
    """`user` is linked to one of the article's authors (Person.user)."""
    if article is None or not user.is_authenticated:
        return False
    return any(a.person.user_id == user.pk for a in article.authorships.all())


@rules.predicate
def submitted_article(user, article) -> bool:
    return article is not None and article.submitted_by_id == user.pk


# Any newsletter editor may put an article forward for review, their own included; the
# approval is a second pair of eyes: neither an author of the article nor the editor who
# submitted it (superusers neither, for their own).
rules.add_perm("newsletters.submit_article", can_edit_newsletter)
rules.add_perm(
    "newsletters.approve_article",
    can_edit_newsletter & ~is_article_author & ~submitted_article,
)
rules.add_perm("newsletters.return_article", can_edit_newsletter)
# The side-by-side preview in the article's admin page.
rules.add_perm("newsletters.preview_article_body", can_preview)
