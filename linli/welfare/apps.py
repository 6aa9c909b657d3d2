from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "linli.welfare"
    label = "welfare"
    verbose_name = _("Welfare review")

    def ready(self) -> None:
        from linli.core.ticks import register_tick
        from linli.welfare import actions, events, workflow  # noqa: F401  (registers events, flows)

        register_tick(actions.tick)
