from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "linli.notices"
    label = "notices"
    verbose_name = _("Public notice board")

    def ready(self) -> None:
        from linli.notices import events  # noqa: F401  (registers audit events)
