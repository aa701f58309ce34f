"""The project URLconf plus the replies partials, until the lead includes them in urls.py."""

from django.urls import include, path

from reviewdesk.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("replies/", include("reviewdesk.replies.urls")),
]
