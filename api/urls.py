from django.urls import path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView

from api import views
from api.exceptions import not_found

app_name = "api"

urlpatterns = [
    path("", views.ApiIndexView.as_view(), name="index"),
    path("claims", views.ClaimListView.as_view(), name="claim-list"),
    path("claims.csv", views.ClaimCsvView.as_view(), {"format": "csv"}, name="claim-csv"),
    path("claims/<int:pk>", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("claims/<int:pk>/status-updates", views.ClaimStatusUpdateView.as_view(), name="claim-status-updates"),
    path("claims/<int:pk>/claimreview", views.ClaimReviewView.as_view(), name="claim-claimreview"),
    path("claims/by-slug/<slug:slug>", views.ClaimBySlugView.as_view(), name="claim-by-slug"),
    # The old slug address, kept for existing links: a slug that is all digits is read as an id above.
    path("claims/<slug:slug>", views.OldSlugRedirectView.as_view(), name="claim-by-slug-old"),
    path("claimreviews", views.ClaimReviewListView.as_view(), name="claimreview-list"),
    path("changes", views.ChangeFeedView.as_view(), name="change-list"),
    path("people", views.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>", views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<slug:slug>/scorecard", views.PersonScorecardView.as_view(), name="person-scorecard"),
    path("terms", views.TermListView.as_view(), name="term-list"),
    path("terms/<int:pk>", views.TermDetailView.as_view(), name="term-detail"),
    path("terms/<int:pk>/scorecard", views.TermScorecardView.as_view(), name="term-scorecard"),
    path("scorecards", views.TrackerScorecardView.as_view(), name="scorecard"),
    path("sources", views.SourceListView.as_view(), name="source-list"),
    path("sources/<int:pk>", views.SourceDetailView.as_view(), name="source-detail"),
    path("statuses", views.StatusListView.as_view(), name="status-list"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^[\s\S]*$", not_found),
]
