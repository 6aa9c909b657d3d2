"""System checks shown to administrators at start-up and by `linli check`."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.utils.translation import gettext as _

from linli.core.calendar import coverage_warning


@checks.register()
def calendar_data_is_current(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    last = coverage_warning()
    if last is None:
        return []
    return [
        checks.Warning(
            _(
                "The official holiday calendar ends with %(year)s; later working days are "
                "estimated as Monday to Friday."
            )
            % {"year": last},
            hint=_("Upgrade chinese-calendar, or enter the new year's holidays as overrides."),
            id="linli.W001",
        )
    ]
