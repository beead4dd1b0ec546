from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {
        "publisher_name": settings.CLAIMTRACKER_PUBLISHER_NAME,
        "publisher_url": settings.CLAIMTRACKER_PUBLISHER_URL,
    }
