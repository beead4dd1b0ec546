"""Partner API v1, one module per resource; the views ``api/urls.py`` mounts are named here."""

from api.views.changes import ChangeFeedView
from api.views.claimreview import ClaimReviewListView, ClaimReviewView
from api.views.claims import ClaimBySlugView, ClaimCsvView, ClaimDetailView, ClaimListView, OldSlugRedirectView
from api.views.index import ApiIndexView, SchemaView
from api.views.people import PersonDetailView, PersonListView
from api.views.scorecards import PersonScorecardView, TermScorecardView, TrackerScorecardView
from api.views.sources import SourceDetailView, SourceListView
from api.views.statuses import StatusListView
from api.views.terms import TermDetailView, TermListView
from api.views.writes import ClaimStatusUpdateView

__all__ = [
    "ApiIndexView",
    "ChangeFeedView",
    "ClaimBySlugView",
    "ClaimCsvView",
    "ClaimDetailView",
    "ClaimListView",
    "ClaimReviewListView",
    "ClaimReviewView",
    "ClaimStatusUpdateView",
    "OldSlugRedirectView",
    "PersonDetailView",
    "PersonListView",
    "PersonScorecardView",
    "SchemaView",
    "SourceDetailView",
    "SourceListView",
    "StatusListView",
    "TermDetailView",
    "TermListView",
    "TermScorecardView",
    "TrackerScorecardView",
]
