from tests.meetings.conftest import focus, meeting  # noqa: F401 -- the drill submits abstracts
