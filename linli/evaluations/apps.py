from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "linli.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        # cycle: the events and the workflow import the models, which Django loads only after
        # every app's config; importing them at the top of this module would load them too early.
        from linli.evaluations import events, workflow  # noqa: F401  (registers events, flows)
