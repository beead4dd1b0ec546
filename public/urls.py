from django.contrib.sitemaps.views import sitemap
from django.urls import path

from public import feeds, views
from public.sitemaps import SITEMAPS

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("claims/<slug:slug>/feed/", feeds.claim_feed, name="claim-feed"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("people/<slug:slug>/feed/", feeds.person_feed, name="person-feed"),
    path("people/<slug:slug>/scorecard/", views.person_scorecard, name="person-scorecard"),
    path("terms/<int:pk>/", views.term_scorecard, name="term-scorecard"),
    path("scorecards/", views.scorecards, name="scorecards"),
    path("compare/", views.compare, name="compare"),
    path("methodology/", views.methodology, name="methodology"),
    path("feeds/updates/", feeds.updates_feed, name="updates-feed"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/feed/", feeds.corrections_feed, name="corrections-feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
