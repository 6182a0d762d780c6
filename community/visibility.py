"""Which people are public: exactly those that something public names.

A Person is made for many reasons (a nominee turned into a draft webinar's speaker,
an author of an unreleased issue, a committee's note) and most never sign in, so a
Person is not public by existing. Each app registers, in its AppConfig.ready(), the
condition under which its *public* content names a person (a published webinar's
speaker, a released article's author, an active group's lead); the person page,
search and any listing of people show only people meeting one of them. community
imports no domain app: the apps come to it.
"""

from collections.abc import Callable
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet


class PublicPeople:
    def __init__(self) -> None:
        self._conditions: dict[str, Callable[[], Q]] = {}

    def register(self, name: str, condition: Callable[[], Q]) -> None:
        """`condition()` is a Q over Person (usually Exists(…OuterRef("pk")…))."""
        self._conditions[name] = condition

    def filter(self, people: QuerySet) -> QuerySet:
        conditions = [condition() for condition in self._conditions.values()]
        return people.filter(reduce(or_, conditions)) if conditions else people.none()


public_people = PublicPeople()
