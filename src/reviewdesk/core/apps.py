from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "reviewdesk.core"
    label = "core"
