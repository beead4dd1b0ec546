"""The claim page: what a reader sees about one claim, and what stays hidden."""

import pytest

from tests.browser.data import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_a_published_claim_shows_its_quote_claimant_sources_and_status(client, world):
    response = client.get(world.pledge.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Build 10,000 affordable homes by 2027" in page
    assert "We will build ten thousand affordable homes before the end of 2027." in page
    assert "Ada Mayor" in page
    assert "Mayor launches housing pledge" in page
    assert "First appearance" in page
    assert "Stalled" in page
    assert world.pledge.current_status.meaning in page


def test_nothing_is_printed():
    pass
