from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reviewdesk.api.urls import api

urlpatterns = [
    path("", include("reviewdesk.web.urls")),
    path("", include("reviewdesk.web.urls_settings")),
    path("replies/", include("reviewdesk.replies.urls")),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
