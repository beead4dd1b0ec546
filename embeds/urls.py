from django.urls import path

from embeds import share_images, views

app_name = "embeds"

urlpatterns = [
    path("embed/claims/<slug:slug>/", views.claim_card, name="claim-card"),
    path("embed/people/<slug:slug>/scorecard/", views.person_scorecard_card, name="person-scorecard-card"),
    path("embed/terms/<int:pk>/", views.term_scorecard_card, name="term-scorecard-card"),
    path("oembed", views.oembed, name="oembed"),
    # Open Graph / Twitter card images (embeds/share_images.py), 1200×630 PNG.
    path("share/claims/<slug:slug>.png", share_images.claim_image, name="claim-image"),
    path("share/people/<slug:slug>/scorecard.png", share_images.person_scorecard_image, name="person-scorecard-image"),
    path("share/terms/<int:pk>.png", share_images.term_scorecard_image, name="term-scorecard-image"),
    path("share/scorecard.png", share_images.tracker_scorecard_image, name="tracker-scorecard-image"),
]
