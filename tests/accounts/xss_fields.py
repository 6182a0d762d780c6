"""XSS corpus fields of the member profile (see tests/security/xss.py)."""


def seed(corpus) -> list[str]:
    user = corpus.user
    user.full_name = corpus.text("user full name", 200)
    user.affiliation = corpus.text("user affiliation", 200)
    user.aps_member_number = corpus.text("user APS member number", 20)
    user.save()
    return [
        "/my/",
        "/my/profile/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{user.pk}/change/",
        f"/admin/accounts/user/{user.pk}/history/",
        "/accounts/email/",
    ]
