from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from accounts.identity import canonical_email
from gds_portal.access import public
from gds_portal.markdown import render_citing_markdown
from gds_portal.sharedpages import shared_with_members
from newsletters import citations, selectors
from newsletters.enums import SubscriptionStatus
from newsletters.forms import SubscribeForm, SubscriptionKindForm
from newsletters.services import (
    manage_url,
    subscriber_confirm,
    subscriber_for_confirm_token,
    subscriber_for_unsubscribe_token,
    subscriber_set_kind,
    subscriber_unsubscribe,
    unsubscribe_url,
)


@shared_with_members
@public
@require_safe
def archive(request):
    before = request.GET.get("before", "")[:4]  # a year
    years, earlier = selectors.archive_by_year(before=int(before) if before.isdigit() else None)
    context = {"years": years, "earlier": earlier, "paged": before.isdigit()}
    return render(request, "newsletters/archive.html", context)


def _render_issue(request, issue, *, preview: bool):
    context = {
        "issue": issue,
        "contents": selectors.issue_contents(issue, preview=preview),
        "preview": preview,
        "site_url": settings.SITE_URL,
    }
    return render(request, "newsletters/issue.html", context)


def _render_article(request, issue, slug: str, *, preview: bool):
    reading = selectors.article_in_issue(issue=issue, slug=slug, preview=preview)
    article = reading.article
    references = list(article.references.all())
    # Markers "[n]" in the body link to the n-th reference; the list links back to
    # the first marker of each reference the body cites.
    body = render_citing_markdown(
        article.body,
        reference_count=len(references),
        figures=selectors.figure_images(article.figures.all()),
    )
    context = {
        "issue": issue,
        "article": article,
        "body": body,
        "references": [(n, ref, n in body.cited) for n, ref in enumerate(references, 1)],
        "previous": reading.previous,
        "following": reading.following,
        "contents": reading.contents,
        "preview": preview,
        "site_url": settings.SITE_URL,
    }
    return render(request, "newsletters/article.html", context)


def _citation_download(request, year: int, season: str, slug: str, number: int, *, fmt: str):
    issue = selectors.issue_for_reader(year=year, season=season)
    reference = selectors.reference_in_article(issue=issue, slug=slug, number=number)
    if not reference.doi:
        # The cite action is offered for references with a DOI only.
        raise Http404("No citation for this reference.")
    if fmt == "bib":
        text, content_type = citations.bibtex(reference), citations.BIBTEX_CONTENT_TYPE
    else:
        text, content_type = citations.ris(reference), citations.RIS_CONTENT_TYPE
    response = HttpResponse(text, content_type=content_type)
    # The key is ASCII letters and digits only, so it needs no quoting in the header.
    filename = f"{citations.citation_key(reference)}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public
@require_safe
def cite_bibtex(request, year: int, season: str, slug: str, number: int):
    return _citation_download(request, year, season, slug, number, fmt="bib")


@public
@require_safe
def cite_ris(request, year: int, season: str, slug: str, number: int):
    return _citation_download(request, year, season, slug, number, fmt="ris")


@shared_with_members
@public
@require_safe
def issue(request, year: int, season: str):
    return _render_issue(
        request, selectors.issue_for_reader(year=year, season=season), preview=False
    )


@shared_with_members
@public
@require_safe
def article(request, year: int, season: str, slug: str):
    issue = selectors.issue_for_reader(year=year, season=season)
    return _render_article(request, issue, slug, preview=False)


def _previewable(request, pk: int):
    # Everyone but newsletter editors gets the same 404 as for a missing issue,
    # so a draft's existence does not leak.
    if not request.user.has_perm("newsletters.preview_issue"):
        raise Http404("No such issue.")
    return selectors.issue_for_preview(pk=pk)


@never_cache
@require_safe
def preview_issue(request, pk: int):
    return _render_issue(request, _previewable(request, pk), preview=True)


@never_cache
@require_safe
def preview_article(request, pk: int, slug: str):
    return _render_article(request, _previewable(request, pk), slug, preview=True)


@public
@require_http_methods(["GET", "POST"])
def subscribe(request):
    # An empty POST is still a POST: it gets "required", not a blank form.
    form = SubscribeForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Each send may mail a confirmation: limited per address (so no one's inbox
        # can be flooded, from however many networks) and per client address. The
        # address counts in its canonical form, so spellings of one inbox share a count.
        limited = ratelimit.consume_or_429(
            request, action="newsletter_subscribe", key=canonical_email(email)
        )
        if limited:
            return limited
        subscriber = form.save()
        if subscriber.status == SubscriptionStatus.ACTIVE and _is_own(request, subscriber):
            messages.success(
                request, f"{subscriber.email} is subscribed: {subscriber.get_kind_display()}."
            )
        else:
            # The same words whether or not the address was subscribed, or has an
            # account: the form must not tell a stranger who reads the newsletter.
            messages.info(
                request,
                f"Almost done: unless {email} already receives the announcements, we have "
                "sent it a confirmation link. Click that link to start receiving them.",
            )
        return redirect("newsletters:subscribe")
    return render(request, "newsletters/subscribe.html", {"form": form})


def _is_own(request, subscriber) -> bool:
    return request.user.is_authenticated and subscriber.user_id == request.user.pk


@public
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows a button; only the POST confirms, so link scanners cannot subscribe anyone."""
    subscriber = subscriber_for_confirm_token(token)
    if subscriber is None:
        return render(request, "newsletters/token_invalid.html", status=400)
    if request.method == "POST":
        subscriber_confirm(subscriber=subscriber)
        messages.success(
            request, f"{subscriber.email} is subscribed: {subscriber.get_kind_display()}."
        )
        return redirect("newsletters:archive")
    return render(request, "newsletters/confirm.html", {"subscriber": subscriber})


@public
@never_cache
# RFC 8058 one-click: mail clients POST without a CSRF token; the signed token guards it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    subscriber = subscriber_for_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "newsletters/token_invalid.html", status=400)
    if request.method == "POST":
        subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "newsletters/unsubscribed.html", {"subscriber": subscriber})
    context = {"subscriber": subscriber, "manage_url": manage_url(subscriber)}
    return render(request, "newsletters/unsubscribe.html", context)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    """The subscription's own page, reached by the signed link in every issue's mail:
    choose the announcement or the whole issue, or go on to unsubscribe."""
    subscriber = subscriber_for_unsubscribe_token(token)
    if subscriber is None or subscriber.status == SubscriptionStatus.PENDING:
        return render(request, "newsletters/token_invalid.html", status=400)
    form = SubscriptionKindForm(
        request.POST if request.method == "POST" else None, initial={"kind": subscriber.kind}
    )
    if request.method == "POST" and form.is_valid():
        subscriber_set_kind(subscriber=subscriber, kind=form.cleaned_data["kind"])
        messages.success(request, f"Saved: {subscriber.get_kind_display()}.")
        return redirect("newsletters:manage", token=token)
    context = {
        "subscriber": subscriber,
        "form": form,
        "active": subscriber.status == SubscriptionStatus.ACTIVE,
        "unsubscribe_url": unsubscribe_url(subscriber),
    }
    return render(request, "newsletters/manage.html", context)
