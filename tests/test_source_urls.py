"""One spelling per address, so the same page is never stored twice."""

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.models import Source

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("entered", "stored"),
    [
        ("HTTPS://News.Example/Story?b=2&a=1#comments", "https://news.example/Story?a=1&b=2"),
        ("https://news.example:443/story?utm_source=x&id=7", "https://news.example/story?id=7"),
        ("http://news.example:8080/story", "http://news.example:8080/story"),
        ("  https://news.example  ", "https://news.example/"),
    ],
)
def test_source_addresses_are_normalised(entered, stored):
    assert services.normalize_source_url(entered) == stored


def test_the_same_page_entered_twice_is_one_source():
    first, created_first = services.source_get_or_create(url="https://News.example/a?utm_medium=social", title="A")
    second, created_second = services.source_get_or_create(url="https://news.example/a#top", title="A again")
    assert created_first
    assert not created_second
    assert first == second
    assert Source.objects.count() == 1


@pytest.mark.parametrize("url", ["http://[oops", "https://[::1/path"])
def test_an_address_python_cannot_parse_is_a_validation_error_not_a_crash(url):
    with pytest.raises(ValidationError) as refused:
        services.normalize_source_url(url)
    assert "url" in refused.value.message_dict
