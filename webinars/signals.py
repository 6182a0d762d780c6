"""Keep what is derived from webinars fresh: search documents and the series numbers."""

from django.db.models import Q


def person_saved(sender, instance, created, **kwargs):
    if created:
        return
    from webinars.models import Webinar
    from webinars.services import webinar_reindex

    webinars = Webinar.objects.filter(Q(speakers=instance) | Q(host=instance))
    webinar_reindex(webinar_ids=list(set(webinars.values_list("pk", flat=True))))


def topic_saved(sender, instance, created, **kwargs):
    if created:
        return
    from webinars.services import webinar_reindex

    webinar_reindex(webinar_ids=list(instance.webinars.values_list("pk", flat=True)))


def series_changed(sender, **kwargs):
    """A webinar or speaker slot was saved or deleted: the series numbers must be recounted."""
    if kwargs.get("raw"):
        return  # fixtures being loaded
    from webinars.services import series_totals_invalidate

    series_totals_invalidate()
