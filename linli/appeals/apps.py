from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "linli.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        from linli.appeals import actions, events  # noqa: F401  (registers audit events)
        from linli.core.ticks import register_tick

        register_tick(actions.tick)
