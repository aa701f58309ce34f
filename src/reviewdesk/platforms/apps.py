from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "reviewdesk.platforms"
    label = "platforms"
