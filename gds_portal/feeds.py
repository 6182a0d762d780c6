"""Feed formats (Atom, RSS) that can always write what members and committees typed.

XML 1.0 cannot hold most C0 control characters, and Django's feed writer raises
on one: a title with "\\x01" in it made the whole feed a 500 for every reader
(issue 15, text never breaks a page). These formats drop those characters from
every text they are given; everything else is written, and escaped, as typed.
Feeds use them instead of django.utils.feedgenerator's (a test holds this).
"""

from django.utils import feedgenerator

# Everything below U+0020 but tab, LF and CR, and the two non-characters XML refuses.
XML_ILLEGAL = dict.fromkeys(
    [*(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)), 0xFFFE, 0xFFFF]
)


def xml_text(value):
    """`value` with what XML cannot carry removed, inside lists and tuples too."""
    if isinstance(value, str):
        return value.translate(XML_ILLEGAL)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(item) for item in value)
    return value


class _XmlText:
    def __init__(self, *args, **kwargs):
        super().__init__(*xml_text(args), **{k: xml_text(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_text(args), **{k: xml_text(v) for k, v in kwargs.items()})


class Atom1Feed(_XmlText, feedgenerator.Atom1Feed):
    pass


class Rss201rev2Feed(_XmlText, feedgenerator.Rss201rev2Feed):
    pass
