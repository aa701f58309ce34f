from django.urls import path

from reviewdesk.web.views import case, case_actions, notifications, queue, ratings, vendor

app_name = "web"

urlpatterns = [
    path("", queue.case_queue, name="case_queue"),
    path("queue/new/", queue.case_queue_poll, name="case_queue_poll"),
    path("cases/<int:case_id>/", case.case_detail, name="case_detail"),
    path("cases/<int:case_id>/dsr-impact/", case.case_dsr_impact, name="case_dsr_impact"),
    path(
        "cases/<int:case_id>/resolve-steps/",
        case.case_resolve_steps,
        name="case_resolve_steps",
    ),
    path(
        "cases/<int:case_id>/transition/",
        case_actions.case_transition_post,
        name="case_transition",
    ),
    path(
        "cases/<int:case_id>/not-received/",
        case_actions.case_not_received_post,
        name="case_not_received",
    ),
    path("cases/<int:case_id>/contacts/", case_actions.case_contact_post, name="case_contact"),
    path(
        "cases/<int:case_id>/triage/",
        case_actions.case_triage_correct_post,
        name="case_triage_correct",
    ),
    path(
        "cases/<int:case_id>/appointments/",
        case_actions.case_appointment_post,
        name="case_appointment",
    ),
    path(
        "cases/<int:case_id>/appointments/<int:appointment_id>/cancel/",
        case_actions.case_appointment_cancel_post,
        name="case_appointment_cancel",
    ),
    path("notifications/", notifications.notification_bell, name="notification_bell"),
    path(
        "notifications/<int:notification_id>/read/",
        notifications.notification_read,
        name="notification_read",
    ),
    path("shops/<slug:slug>/ratings/", ratings.shop_ratings, name="shop_ratings"),
    path(
        "shops/<slug:slug>/ratings/calibration/",
        ratings.shop_calibration_post,
        name="shop_calibration",
    ),
    path("vendor/plotly.min.js", vendor.plotly_js, name="plotly_js"),
]
