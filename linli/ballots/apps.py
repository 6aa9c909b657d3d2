from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "linli.ballots"
    label = "ballots"
    verbose_name = _("Secret ballots")

    def ready(self) -> None:
        from linli.ballots import events  # noqa: F401  (registers audit events)
