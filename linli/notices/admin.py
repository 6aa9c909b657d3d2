"""Notice-board configuration: the notice period of each kind. Notices themselves are
published, corrected and withdrawn in linli's own screens, where each step is audited."""

from __future__ import annotations

from django.contrib import admin

from linli.notices.models import NoticeKindSetting


@admin.register(NoticeKindSetting)
class NoticeKindSettingAdmin(admin.ModelAdmin[NoticeKindSetting]):
    list_display = ["kind", "period_days", "working_days"]
