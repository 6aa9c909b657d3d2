from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "linli.people"
    label = "people"
    verbose_name = _("Registry of people and places")

    def ready(self) -> None:
        from linli.people import events, workflow  # noqa: F401  (registers events, flows)
