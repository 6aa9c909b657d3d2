from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "linli.dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        # cycle: these modules import models, which Django loads only after every app's config.
        from linli.dashboard.report_back import report_tasks
        from linli.meetings.actions import register_report_source

        # Evaluations' improvement tasks join the meetings' report-back.
        register_report_source(report_tasks)
