from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from claims.models import Claim
from people.models import Person


def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.published().with_list_related(), slug=slug)
    timeline = claim.status_updates.published().timeline()
    return render(request, "public/claim_detail.html", {"claim": claim, "timeline": timeline})


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    claims = Claim.objects.published().for_person(person).with_list_related()
    return render(request, "public/person_detail.html", {"person": person, "claims": claims})
