"""A relief campaign's ledger (台账): budget, given, left, received and planned; given + left
always equals the budget."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from linli.care.models import Recipient, ReliefCampaign


@dataclass
class Ledger:
    budget: Decimal
    given: Decimal
    left: Decimal
    planned: int
    received: int


def given_so_far(campaign: ReliefCampaign) -> Decimal:
    """What the campaign's recipients have received, in yuan."""
    total = Recipient.objects.filter(campaign=campaign).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def ledger(campaign: ReliefCampaign) -> Ledger:
    totals = Recipient.objects.filter(campaign=campaign).aggregate(
        given=Sum("amount"),
        planned=Count("pk"),
        received=Count("pk", filter=Q(received_on__isnull=False)),
    )
    given = totals["given"] or Decimal(0)
    return Ledger(
        budget=campaign.budget,
        given=given,
        left=campaign.budget - given,
        planned=totals["planned"],
        received=totals["received"],
    )
