"""Demo content loaders, run by `manage.py load_demo` (`make demo`).

Each app registers its loader in its AppConfig.ready() by dotted path, so the
demo code (and what it imports) is loaded only when the demo is:

    demo_loaders.register("meetings.demo.load")

A loader takes the command's stdout, must be idempotent, and runs in its own
transaction; loaders run in the order registered (INSTALLED_APPS order), so an
app's demo may rely on the demos of the apps it depends on.
"""

from collections.abc import Callable

from django.utils.module_loading import import_string


class DemoLoaders:
    def __init__(self):
        self._paths: list[str] = []

    def register(self, dotted_path: str) -> None:
        if dotted_path not in self._paths:
            self._paths.append(dotted_path)

    def loaders(self) -> list[Callable]:
        return [import_string(path) for path in self._paths]


demo_loaders = DemoLoaders()
