from django.urls import path

from reviewdesk.web import views

app_name = "web"

urlpatterns = [
    path("", views.case_queue, name="case_queue"),
    path("queue/new/", views.case_queue_poll, name="case_queue_poll"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
]
