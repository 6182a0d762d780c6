import pytest
from django.core.exceptions import ValidationError

from webinars.video import parse_replay_url, validate_web_link


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=abcDEF12345",
            "https://www.youtube-nocookie.com/embed/abcDEF12345",
        ),
        ("https://youtu.be/abcDEF12345", "https://www.youtube-nocookie.com/embed/abcDEF12345"),
        (
            "https://www.youtube.com/live/abc-EF_2345",
            "https://www.youtube-nocookie.com/embed/abc-EF_2345",
        ),
        (
            "https://www.youtube-nocookie.com/embed/abcDEF12345",
            "https://www.youtube-nocookie.com/embed/abcDEF12345",
        ),
        ("https://vimeo.com/123456789", "https://player.vimeo.com/video/123456789?dnt=1"),
        (
            "https://vimeo.com/123456789/abcdef1234",
            "https://player.vimeo.com/video/123456789?dnt=1&h=abcdef1234",
        ),
        (
            "https://player.vimeo.com/video/123456789",
            "https://player.vimeo.com/video/123456789?dnt=1",
        ),
    ],
)
def test_parse_replay_url_gives_privacy_friendly_embed(url, embed):
    assert parse_replay_url(url).embed_url == embed


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://evil.example.com/watch?v=abcDEF12345", "host"),
        ("https://youtube.com.evil.example/watch?v=abcDEF12345", "host"),
        ("javascript:alert(1)", "scheme"),
        ("https://www.youtube.com/channel/UCabc", "youtube_id"),
        ("https://www.youtube.com/watch?v=short", "youtube_id"),
        ("https://vimeo.com/channels/staffpicks", "vimeo_id"),
    ],
)
def test_parse_replay_url_refuses_anything_else(url, code):
    with pytest.raises(ValidationError) as error:
        parse_replay_url(url)
    assert error.value.code == code


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://x.org/a"])
def test_validate_web_link_refuses_non_web_schemes(url):
    with pytest.raises(ValidationError):
        validate_web_link(url)
