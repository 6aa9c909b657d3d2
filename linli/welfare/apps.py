from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.ticks import register_tick


class WelfareConfig(AppConfig):
    name = "linli.welfare"
    label = "welfare"
    verbose_name = _("Welfare review")

    def ready(self) -> None:
        # cycle: the actions and the workflow import the models, which Django loads only after
        # every app's config; importing them at the top of this module would load them too early.
        from linli.welfare import actions, events, workflow  # noqa: F401  (registers events, flows)

        register_tick(actions.tick)
