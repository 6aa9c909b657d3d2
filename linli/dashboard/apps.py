from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "linli.dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        # Imported once the app registry is ready: these modules read models.
        from linli.dashboard.report_back import report_tasks
        from linli.meetings.actions import register_report_source

        # Evaluations' improvement tasks join the meetings' report-back.
        register_report_source(report_tasks)
