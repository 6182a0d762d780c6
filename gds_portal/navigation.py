"""The main navigation: each app adds its entry in its AppConfig.ready().

    navigation.register(NavEntry("Meetings", "meetings:list", order=20))

The ground floor knows no app; base.html shows whatever is registered, in order.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str  # reversed per request, so the entry follows the app's URLconf
    order: int = 50


class Navigation:
    def __init__(self):
        self._entries: dict[str, NavEntry] = {}

    def register(self, entry: NavEntry) -> None:
        # Keyed by URL name so a module imported twice does not register twice.
        self._entries[entry.url_name] = entry

    def entries(self) -> list[NavEntry]:
        return sorted(self._entries.values(), key=lambda e: (e.order, e.label))


navigation = Navigation()
