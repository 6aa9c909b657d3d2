"""What each organisation was asked at a community's meetings and how it answered."""

from __future__ import annotations

from dataclasses import dataclass

from linli.core.models import Community, Organisation
from linli.meetings.models import Handling, Opinion


@dataclass
class OrganisationRecord:
    organisation: Organisation
    raised: int
    on_the_spot: int
    follow_up: int
    finished: int
    average_days: float | None


def organisation_records(community: Community) -> list[OrganisationRecord]:
    """Per organisation: opinions raised to it at this community's meetings, answered on the
    spot or followed up, and how long the follow-ups took to a result."""
    opinions = (
        Opinion.objects.filter(meeting__community=community, organisation__isnull=False)
        .exclude(handling=Handling.PENDING)
        .select_related("organisation", "appeal")
    )
    records: dict[int, OrganisationRecord] = {}
    durations: dict[int, list[float]] = {}
    for opinion in opinions:
        if opinion.organisation is None:  # pragma: no cover  (filtered out above)
            continue
        record = records.setdefault(
            opinion.organisation.pk, OrganisationRecord(opinion.organisation, 0, 0, 0, 0, None)
        )
        record.raised += 1
        if opinion.handling == Handling.ON_THE_SPOT:
            record.on_the_spot += 1
            continue
        record.follow_up += 1
        appeal = opinion.appeal
        if appeal is not None and appeal.solved_at is not None:
            record.finished += 1
            days = (appeal.solved_at - appeal.created_at).total_seconds() / 86400
            durations.setdefault(opinion.organisation.pk, []).append(days)
    for pk, values in durations.items():
        records[pk].average_days = round(sum(values) / len(values), 1)
    return sorted(records.values(), key=lambda r: r.organisation.name)
