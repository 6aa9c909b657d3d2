from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "linli.meetings"
    label = "meetings"
    verbose_name = _("Residents' meetings")

    def ready(self) -> None:
        # Django's place for registrations: the registry is ready here, not at import time.
        from linli.meetings import events  # noqa: F401  (registers audit events)
