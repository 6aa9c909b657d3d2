from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "linli.notices"
    label = "notices"
    verbose_name = _("Public notice board")

    def ready(self) -> None:
        # cycle: Django loads the apps' configs before their models; registering the audit
        # events (and the workflow, which imports the models) waits until every app is ready.
        from linli.notices import events, workflow  # noqa: F401  (registers events, flows)
