from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
]
