from django import template

from elections import tally

register = template.Library()


@register.filter
def round_table(rounds: dict | None, names: dict) -> dict:
    """The counting rule's published rounds as a table of names and votes (tally.py)."""
    return tally.round_table(rounds or {}, names)


@register.filter
def choices_of(ballot, row: dict) -> str:
    """One published ballot's choices in one contest, by name, in order."""
    chosen = ballot.marks.get(str(row["contest"].pk), [])
    names = row["names"]
    if not chosen:
        return "—"
    sep = " > " if row["contest"].is_ranked else ", "
    return sep.join(names[pk].name if pk in names else str(pk) for pk in chosen)
