from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "linli.care"
    label = "care"
    verbose_name = _("Care for residents in difficulty")

    def ready(self) -> None:
        from linli.care import actions, events, workflow  # noqa: F401  (registers events, flows)
        from linli.core.ticks import register_tick

        register_tick(actions.tick)
