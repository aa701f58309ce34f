"""Included by the project URLconf: path("replies/", include("reviewdesk.replies.urls"))."""

from django.urls import path

from reviewdesk.replies import views

app_name = "replies"

urlpatterns = [
    path("cases/<int:case_id>/playbook/", views.playbook_partial, name="playbook"),
    path(
        "cases/<int:case_id>/steps/<slug:step_key>/<str:action>/",
        views.step_action,
        name="step_action",
    ),
    path("cases/<int:case_id>/scripts/", views.scripts_partial, name="scripts"),
    path("cases/<int:case_id>/scripts/<slug:script_key>/use/", views.script_use, name="script_use"),
    path("cases/<int:case_id>/explanation/", views.explanation_partial, name="explanation"),
    path(
        "cases/<int:case_id>/explanation/<str:action>/",
        views.explanation_action,
        name="explanation_action",
    ),
    path("cases/<int:case_id>/compensation/", views.compensation_partial, name="compensation"),
    path(
        "cases/<int:case_id>/compensation/offer/",
        views.compensation_offer,
        name="compensation_offer",
    ),
    path(
        "cases/<int:case_id>/compensation/<int:offer_id>/<str:action>/",
        views.compensation_action,
        name="compensation_action",
    ),
]
