"""Shop settings pages for cases and manual DSR entry; included from the project URLconf as
`path("", include("reviewdesk.web.urls_settings"))`. Views: web/views/shop_settings.py."""

from django.urls import path

from reviewdesk.web.views import shop_settings as v

app_name = "settings"

P = "shops/<slug:slug>/settings/"

urlpatterns = [
    path(P, v.settings_index, name="index"),
    path(f"{P}routing/", v.settings_routing, name="routing"),
    path(f"{P}routing/policy/", v.routing_policy_post, name="routing_policy"),
    path(f"{P}routing/category/", v.product_category_post, name="product_category"),
    path(f"{P}routing/skills/", v.skill_add_post, name="skill_add"),
    path(f"{P}routing/skills/<int:skill_id>/remove/", v.skill_remove_post, name="skill_remove"),
    path(f"{P}team/", v.settings_team, name="team"),
    path(f"{P}team/shifts/", v.shift_add_post, name="shift_add"),
    path(f"{P}team/shifts/<int:shift_id>/remove/", v.shift_remove_post, name="shift_remove"),
    path(f"{P}team/leave/", v.leave_add_post, name="leave_add"),
    path(f"{P}team/leave/<int:leave_id>/end/", v.leave_end_post, name="leave_end"),
    path(f"{P}calendar/", v.settings_calendar, name="calendar"),
    path(f"{P}calendar/hours/", v.business_hours_post, name="business_hours"),
    path(f"{P}calendar/days/", v.shop_day_add_post, name="day_add"),
    path(f"{P}calendar/days/<int:day_id>/remove/", v.shop_day_remove_post, name="day_remove"),
    path(f"{P}sla/", v.settings_sla, name="sla"),
    path(f"{P}sla/save/", v.sla_post, name="sla_save"),
    path(f"{P}sla/logistics/", v.logistics_policy_post, name="logistics_policy"),
    path(f"{P}compliance/", v.settings_compliance, name="compliance"),
    path(f"{P}compliance/allow/", v.compliance_allow_post, name="compliance_allow"),
    path(f"{P}compliance/revoke/", v.compliance_revoke_post, name="compliance_revoke"),
    path(f"{P}scores/", v.scores, name="scores"),
]
