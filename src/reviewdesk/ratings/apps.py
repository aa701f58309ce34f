from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "reviewdesk.ratings"
    label = "ratings"
    verbose_name = _("店铺评分")
