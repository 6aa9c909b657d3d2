"""Petitions for a residents' meeting: started, signed in linli or on paper, the threshold
reached."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core import audit
from linli.core.access import require_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, User
from linli.core.notify import notify
from linli.core.roles import LEADERS, WORKERS
from linli.core.transactions import atomic_action
from linli.meetings.models import Basis, Petition, PetitionStatus, Signature
from linli.meetings.quorum import adults, petition_count, threshold
from linli.meetings.workflow import PETITION_FLOW
from linli.people.models import Resident


def start_petition(
    *, actor: Any, community: Community, basis: str, subject: str, idempotency_key: str = ""
) -> Petition:
    """A resident (or staff, for residents on paper) starts a demand for a meeting."""
    key = idempotency_key or secrets.token_hex(16)
    existing = Petition.objects.filter(idempotency_key=key, community=community).first()
    if existing is not None:
        return existing
    resident = _resident_of(actor, community)
    if resident is None:
        require_role(actor, community, *WORKERS)
    if basis not in Basis.values:
        raise DomainError("basis_unknown", _("Unknown basis."))
    if not subject.strip():
        raise DomainError("subject_missing", _("Say what the meeting should discuss."))
    with atomic_action():
        petition = Petition.objects.create(
            community=community,
            basis=basis,
            subject=subject.strip()[:300],
            created_by=actor,
            idempotency_key=key,
        )
        audit.record(
            actor=actor,
            code="meetings.petition_started",
            community=community,
            target=petition,
            data={"subject": petition.subject},
        )
        if resident is not None:
            sign_petition(actor=actor, petition=petition)
    return petition


def _resident_of(actor: Any, community: Community) -> Resident | None:
    return Resident.objects.filter(
        user_id=getattr(actor, "pk", None) or 0, community=community, status="active"
    ).first()


def sign_petition(*, actor: Any, petition: Petition, resident: Resident | None = None) -> Signature:
    """A resident signs in linli; staff enter a paper signature by naming the resident."""
    community = petition.community
    if resident is None:
        resident = _resident_of(actor, community)
        if resident is None:
            raise AccessDenied(
                "access_denied", _("Only residents of this community sign its petitions.")
            )
        on_paper = False
    else:
        PETITION_FLOW.check_access(actor, petition, "sign_on_paper")
        on_paper = True
        if resident.community_id != community.pk or resident.status != "active":
            raise DomainError("not_resident", _("%(name)s does not live here."), name=resident.name)
    if not adults(community).filter(pk=resident.pk).exists():
        raise DomainError("not_adult", _("Only adult residents may sign."))
    try:
        with atomic_action(savepoint=True):
            petition = Petition.objects.select_for_update().get(pk=petition.pk)
            PETITION_FLOW.check_status(petition, "sign_on_paper" if on_paper else "sign")
            signature = Signature.objects.create(
                petition=petition,
                resident=resident,
                on_paper=on_paper,
                entered_by=actor if on_paper else None,
            )
            audit.record(
                actor=actor,
                code="meetings.petition_signed",
                community=community,
                target=petition,
                data={"subject": petition.subject, "paper": on_paper},
            )
            if PETITION_FLOW.allows(petition, "reach"):
                needed = threshold(community, petition.basis)
                if petition_count(petition) >= needed:
                    petition.status = PetitionStatus.REACHED
                    petition.threshold = needed
                    petition.reached_at = timezone.now()
                    petition.save(update_fields=["status", "threshold", "reached_at"])
                    leaders = User.objects.filter(
                        roles__role__in=LEADERS, roles__community=community
                    )
                    notify(
                        users=list(leaders),
                        code="meetings.petition_reached",
                        community=community,
                        data={"subject": petition.subject},
                        url=reverse("meetings:petition", args=[community.code, petition.pk]),
                    )
    except IntegrityError:
        raise DomainError(
            "already_signed", _("%(name)s has already signed."), name=resident.name
        ) from None
    return signature
