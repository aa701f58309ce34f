from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "reviewdesk.web"
    label = "web"
