"""The texts a meeting puts on the notice board: its announcement and its minutes, and the
data of the notifications about it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from linli.core.models import Organisation
from linli.meetings.models import Handling, Meeting


def when(meeting: Meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")


def notice_data(meeting: Meeting) -> dict[str, Any]:
    return {"topic": meeting.topic, "when": when(meeting), "place": meeting.place}


def _heading(meeting: Meeting) -> list[str]:
    return [
        gettext("Time: %(when)s") % {"when": when(meeting)},
        gettext("Place: %(place)s") % {"place": meeting.place},
        gettext("Kind: %(kind)s") % {"kind": meeting.get_kind_display()},
    ]


def announcement_text(
    meeting: Meeting, organisations: Iterable[Organisation], agenda: Iterable[str]
) -> str:
    lines = _heading(meeting)
    names = "、".join(o.name for o in organisations)
    if names:
        lines.append(gettext("Invited: %(names)s") % {"names": names})
    items = [t.strip() for t in agenda if t.strip()]
    if items:
        lines.append(gettext("Agenda:"))
        lines.extend(f"{i}. {t}" for i, t in enumerate(items, 1))
    return "\n".join(lines)


def minutes_text(meeting: Meeting) -> str:
    """The minutes as plain text for the notice board: attendance, report-back, opinions and
    answers, resolutions with their counts. Residents are not named where they asked not to
    be, and no one's address or phone appears."""
    lines = [
        *_attendance(meeting),
        *_report(meeting),
        *_opinions(meeting),
        *_resolutions(meeting),
    ]
    if meeting.minutes_summary:
        lines += ["", meeting.minutes_summary]
    return "\n".join(lines)


def _attendance(meeting: Meeting) -> list[str]:
    present = meeting.attendance.filter(resident__isnull=False).count()
    guests = list(meeting.attendance.filter(organisation__isnull=False))
    lines = [*_heading(meeting), gettext("Residents attending: %(n)s") % {"n": present}]
    if meeting.body_size is not None:
        lines.append(gettext("Members of the body: %(n)s") % {"n": meeting.body_size})
    if guests:
        lines.append(
            gettext("Organisations: %(names)s")
            % {"names": "、".join(f"{a.organisation}（{a.name}）" for a in guests)}
        )
    return lines


def _report(meeting: Meeting) -> list[str]:
    report = list(meeting.report.all())
    lines = ["", gettext("1. Report on opinions raised at earlier meetings")]
    if not report:
        lines.append(gettext("None outstanding."))
    for item in report:
        lines.append(
            f"- {item.text[:200]} · {item.status_label} · {item.done[:200] or '—'}"
            + (f" · {item.verdict_label}" if item.verdict else "")
        )
    return lines


def _opinions(meeting: Meeting) -> list[str]:
    lines = ["", gettext("2. Opinions raised at this meeting")]
    for opinion in meeting.opinions.select_related("organisation"):
        answer = opinion.answer if opinion.handling == Handling.ON_THE_SPOT else ""
        lines.append(
            f"- {opinion.text[:200]} · {opinion.get_handling_display()}"
            + (f"：{answer[:200]}" if answer else "")
            + (f" · {opinion.organisation}" if opinion.organisation else "")
        )
    return lines


def _resolutions(meeting: Meeting) -> list[str]:
    lines = ["", gettext("3. Resolutions")]
    for resolution in meeting.resolutions.all():
        lines.append(
            gettext(
                "- %(text)s: for %(for)s, against %(against)s, abstain %(abstain)s, "
                "present %(present)s — %(result)s"
            )
            % {
                "text": resolution.text[:300],
                "for": resolution.votes_for,
                "against": resolution.votes_against,
                "abstain": resolution.abstentions,
                "present": resolution.present,
                "result": gettext("passed") if resolution.passed else gettext("not passed"),
            }
        )
    return lines
