"""Included by the project URLconf: path("replies/", include("reviewdesk.replies.urls")).

The case-page partials, and the shop settings pages (scripts, playbooks, compensation, skipped
steps) under shops/<slug>/: the compensation page's views live in the compensation app and are
routed here so every settings page shares one prefix and one menu.
"""

from django.urls import path

from reviewdesk.compensation import views as compensation_views
from reviewdesk.replies import shop_views, views

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
    # --- shop settings (supervisor+) ---
    path("shops/<slug:slug>/", shop_views.shop_settings, name="shop_settings"),
    path("shops/<slug:slug>/scripts/", shop_views.shop_scripts, name="shop_scripts"),
    path("shops/<slug:slug>/scripts/save/", shop_views.shop_script_save, name="shop_script_save"),
    path(
        "shops/<slug:slug>/scripts/settings/",
        shop_views.shop_reply_settings,
        name="shop_reply_settings",
    ),
    path(
        "shops/<slug:slug>/scripts/<slug:key>/deactivate/",
        shop_views.shop_script_deactivate,
        name="shop_script_deactivate",
    ),
    path("shops/<slug:slug>/playbooks/", shop_views.shop_playbooks, name="shop_playbooks"),
    path(
        "shops/<slug:slug>/playbooks/<slug:key>/required/",
        shop_views.shop_playbook_required,
        name="shop_playbook_required",
    ),
    path(
        "shops/<slug:slug>/skipped-steps/",
        shop_views.shop_skipped_steps,
        name="shop_skipped_steps",
    ),
    path(
        "shops/<slug:slug>/compensation/",
        compensation_views.shop_compensation,
        name="shop_compensation",
    ),
    path(
        "shops/<slug:slug>/compensation/limits/",
        compensation_views.shop_compensation_limit,
        name="shop_compensation_limit",
    ),
    path(
        "shops/<slug:slug>/compensation/budget/",
        compensation_views.shop_compensation_budget,
        name="shop_compensation_budget",
    ),
    path(
        "shops/<slug:slug>/compensation/offers/<int:offer_id>/<str:action>/",
        compensation_views.shop_compensation_decide,
        name="shop_compensation_decide",
    ),
]
