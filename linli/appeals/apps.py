from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.ticks import register_tick


class AppealsConfig(AppConfig):
    name = "linli.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        # cycle: the actions import the models, which Django loads only after every app's
        # config; importing them at the top of this module would load them too early.
        from linli.appeals import actions, events  # noqa: F401  (registers audit events)

        register_tick(actions.tick)
