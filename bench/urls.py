"""The site's URLs plus /bench/anchor/claims, reachable only under bench.settings."""

from django.urls import path

from bench.anchor import anchor_claim_list
from claimtracker.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/anchor/claims", anchor_claim_list), *site_urlpatterns]
