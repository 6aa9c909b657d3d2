"""Opinions raised at a meeting, recorded and classified: each classified opinion is an appeal,
made and moved by the appeals actions in the classification's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.appeals import actions as appeals
from linli.appeals.models import Appeal, Category
from linli.core.errors import DomainError
from linli.core.models import Organisation
from linli.core.transactions import atomic_action
from linli.meetings.actions._base import MAX_TEXT, audit_meeting, lock
from linli.meetings.models import Handling, Meeting, Opinion
from linli.meetings.workflow import CLASSIFY_STEP, MEETING_FLOW, OPINION_FLOW
from linli.people.models import Resident


@dataclass(frozen=True)
class OpinionInput:
    text: str
    handling: str = Handling.PENDING
    category: Category | None = None
    organisation: Organisation | None = None
    speaker_resident: Resident | None = None
    speaker_organisation: Organisation | None = None
    answer: str = ""
    anonymous: bool = False


def record_opinion(
    *, actor: Any, meeting: Meeting, data: OpinionInput, idempotency_key: str
) -> Opinion:
    """The secretary records what was raised; classified, it becomes an appeal."""
    MEETING_FLOW.check_access(actor, meeting, "record_opinion")
    existing = Opinion.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    text = data.text.strip()
    if not text:
        raise DomainError("text_missing", _("Please write what was raised."))
    if len(text) > MAX_TEXT:
        raise DomainError(
            "text_long", _("Please keep it under %(limit)s characters."), limit=MAX_TEXT
        )
    speaker = data.speaker_resident
    if speaker is not None and speaker.community_id != meeting.community_id:
        raise DomainError("speaker_elsewhere", _("The speaker lives in another community."))
    if data.handling != Handling.PENDING:
        _check_classification(meeting, data.handling, data.category, data.organisation, data.answer)
    with atomic_action():
        meeting = lock(meeting)
        MEETING_FLOW.check_status(meeting, "record_opinion")
        opinion = Opinion.objects.create(
            meeting=meeting,
            speaker_resident=speaker,
            speaker_organisation=data.speaker_organisation,
            anonymous=data.anonymous,
            text=text,
            recorded_by=actor,
            idempotency_key=idempotency_key,
        )
        audit_meeting(actor, "opinion", meeting, opinion=opinion.pk)
        if data.handling != Handling.PENDING:
            opinion = classify_opinion(
                actor=actor,
                opinion=opinion,
                handling=data.handling,
                category=data.category,
                organisation=data.organisation,
                answer=data.answer,
            )
    return opinion


def _check_classification(
    meeting: Meeting,
    handling: str,
    category: Category | None,
    organisation: Organisation | None,
    answer: str,
) -> Category:
    """Refuse a classification before anything is written; the category it needs."""
    if handling not in (Handling.ON_THE_SPOT, Handling.FOLLOW_UP):
        raise DomainError("handling_missing", _("Answered on the spot, or to follow up?"))
    if category is None:
        raise DomainError("category_missing", _("Choose a category."))
    if handling == Handling.ON_THE_SPOT and not answer.strip():
        raise DomainError("answer_missing", _("Write the answer that was given."))
    if (
        organisation is not None
        and not organisation.communities.filter(pk=meeting.community_id).exists()
    ):
        raise DomainError(
            "organisation_elsewhere", _("This organisation does not serve the community.")
        )
    return category


def classify_opinion(
    *,
    actor: Any,
    opinion: Opinion,
    handling: str,
    category: Category | None,
    organisation: Organisation | None = None,
    answer: str = "",
) -> Opinion:
    """Answered on the spot (an appeal resolved on the spot and reported back at once) or to
    follow up (an appeal referred to the organisation responsible, or deferred to the next
    meeting). The appeal and every step of it commit with the classification, or none do."""
    MEETING_FLOW.check_access(actor, opinion.meeting, "classify_opinion")
    category = _check_classification(opinion.meeting, handling, category, organisation, answer)
    with atomic_action():
        meeting = lock(opinion.meeting)
        MEETING_FLOW.check_status(meeting, "classify_opinion")
        opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if opinion.handling == handling:  # the same form sent twice
            return Opinion.objects.select_related("meeting", "appeal").get(pk=opinion.pk)
        OPINION_FLOW.check_status(opinion, CLASSIFY_STEP[handling])
        opinion.meeting = meeting
        opinion.handling = handling
        opinion.category = category
        opinion.organisation = organisation
        opinion.answer = answer.strip()
        opinion.appeal = appeal = _appeal_of(actor, opinion, category)
        opinion.save(update_fields=["appeal", "handling", "category", "organisation", "answer"])
        audit_meeting(actor, "classified", meeting, opinion=opinion.pk, appeal=appeal.number)
    return Opinion.objects.select_related("meeting", "appeal").get(pk=opinion.pk)


def _appeal_of(actor: Any, opinion: Opinion, category: Category) -> Appeal:
    """The classified opinion as an appeal, taken through the appeals actions: accepted, then
    resolved on the spot and reported back, referred to its organisation, or deferred."""
    meeting, speaker = opinion.meeting, opinion.speaker_resident
    appeal = appeals.submit_appeal(
        actor=actor,
        community=meeting.community,
        channel="meeting",
        category=category,
        text=opinion.text,
        resident=speaker,
        place="" if speaker is not None and speaker.household_id else meeting.place,
        idempotency_key=f"meeting-opinion-{opinion.pk}",
    )
    appeal = appeals.accept_appeal(actor=actor, appeal=appeal)
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
    if opinion.handling == Handling.ON_THE_SPOT:
        appeal = appeals.resolve_appeal(
            actor=actor,
            appeal=appeal,
            note=opinion.answer,
            on_the_spot=True,
            organisation=opinion.organisation,
        )
        return appeals.report_back(
            actor=actor,
            appeal=appeal,
            note=gettext("Answered at the meeting of %(date)s: %(answer)s")
            % {"date": when, "answer": opinion.answer},
        )
    if opinion.organisation is not None:
        return appeals.refer_appeal(
            actor=actor,
            appeal=appeal,
            organisation=opinion.organisation,
            note=gettext("Raised at the meeting of %(date)s; its result is reported at the next.")
            % {"date": when},
        )
    return appeals.defer_appeal(
        actor=actor,
        appeal=appeal,
        note=gettext("Raised at the meeting of %(date)s.") % {"date": when},
    )
