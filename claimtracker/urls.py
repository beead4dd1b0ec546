from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Claim Tracker editors"
admin.site.site_title = "Claim Tracker admin"
admin.site.index_title = "Claims, people, sources and statuses"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("public.urls")),
]
