from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "reviewdesk.aftersales"
    label = "aftersales"
    verbose_name = _("退款与退货")
