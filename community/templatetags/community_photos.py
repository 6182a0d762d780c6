from django import template
from django.utils.html import format_html

from community.photos import PHOTO_SIZES, photo_url

register = template.Library()


@register.simple_tag
def person_photo(person, width: int, css_class: str = "") -> str:
    """`<img>` of a person's photo shown `width` CSS pixels square: the smallest stored
    size that covers it as `src`, and every size that covers it in `srcset`, so a
    sharp screen takes the larger one. Empty when the person has no photo."""
    if not person.photo:
        return ""
    sizes = [size for size in PHOTO_SIZES if size >= width] or [PHOTO_SIZES[-1]]
    srcset = ", ".join(f"{photo_url(person.photo, size)} {size}w" for size in sizes)
    return format_html(
        '<img class="{}" src="{}" srcset="{}" sizes="{}px" width="{}" height="{}" alt="{}">',
        css_class,
        photo_url(person.photo, sizes[0]),
        srcset,
        width,
        width,
        width,
        f"Photo of {person.name}",
    )
