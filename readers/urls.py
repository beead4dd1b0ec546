from django.urls import path

from readers import views

app_name = "readers"

urlpatterns = [
    path("claims/<slug:slug>/suggest-a-correction/", views.suggest_correction, name="suggest-correction"),
    path("suggest-a-claim/", views.suggest_claim, name="suggest-claim"),
    path("suggestions/sent/", views.tip_sent, name="tip-sent"),
    path("alerts/", views.subscribe, name="subscribe"),
    path("alerts/check-your-inbox/", views.subscribe_sent, name="subscribe-sent"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/manage/", views.manage_link, name="manage-link"),
    path("alerts/manage/<str:token>/", views.manage, name="manage"),
    path("privacy/", views.privacy_page, name="privacy"),
]
