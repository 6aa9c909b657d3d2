from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "linli.ballots"
    label = "ballots"
    verbose_name = _("Secret ballots")

    def ready(self) -> None:
        # cycle: Django loads the apps' configs before their models; registering the audit
        # events (and the workflow, which imports the models) waits until every app is ready.
        from linli.ballots import events, workflow  # noqa: F401  (registers events, flows)
