"""The registry: buildings, entrances, households, residents, tags and residence history."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core import access, crypto, roles
from linli.core.errors import DomainError
from linli.core.fields import EncryptedTextField
from linli.core.models import Community, Grid
from linli.people.validation import parse_address


class Tag(models.Model):
    """A registry label such as 低保户 or 独居老人; care and welfare rules key on `code`."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    sensitive = models.BooleanField(
        _("sensitive"), default=False, help_text=_("Health or welfare status: staff only.")
    )

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="buildings")
    grid = models.ForeignKey(
        Grid, on_delete=models.SET_NULL, null=True, blank=True, related_name="buildings"
    )
    number = models.CharField(_("building number"), max_length=20)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering: ClassVar = ["community", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["community", "number"], name="building_unique_number"),
        ]

    def __str__(self) -> str:
        return _("Building %(number)s") % {"number": self.number}


class Entrance(models.Model):
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="entrances")
    number = models.CharField(_("entrance number"), max_length=20)

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        ordering: ClassVar = ["building", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["building", "number"], name="entrance_unique_number"),
        ]

    def __str__(self) -> str:
        return _("Entrance %(number)s") % {"number": self.number}


class HouseholdQuerySet(models.QuerySet["Household"]):
    def visible_to(self, user: Any) -> HouseholdQuerySet:
        ids = access.community_ids_for(user, *roles.OFFICE)
        staff = self if ids is None else self.filter(community_id__in=ids)
        if ids is None:
            return staff
        own = self.filter(members__user=user, members__status="active")
        return (staff | own).distinct()


class Household(models.Model):
    """A dwelling's household (户); its address is building-entrance-room or a description."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="households")
    entrance = models.ForeignKey(
        Entrance, on_delete=models.PROTECT, null=True, blank=True, related_name="households"
    )
    room = models.CharField(_("room"), max_length=20, blank=True)
    address_note = models.CharField(
        _("described address"),
        max_length=200,
        blank=True,
        help_text=_("For dwellings outside the numbered buildings."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["entrance", "room"],
                condition=Q(entrance__isnull=False),
                name="household_unique_room",
            ),
            models.CheckConstraint(
                condition=Q(entrance__isnull=False, room__gt="") | ~Q(address_note=""),
                name="household_has_address",
            ),
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        if self.entrance_id is None:
            return self.address_note
        entrance = self.entrance
        if entrance is None:  # pragma: no cover  (entrance_id was checked above)
            return self.address_note
        return _("Building %(building)s, entrance %(entrance)s, room %(room)s") % {
            "building": entrance.building.number,
            "entrance": entrance.number,
            "room": self.room,
        }

    @property
    def short_address(self) -> str:
        if self.entrance_id is None:
            return self.address_note
        entrance = self.entrance
        if entrance is None:  # pragma: no cover  (entrance_id was checked above)
            return self.address_note
        return f"{entrance.building.number}-{entrance.number}-{self.room}"


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Relation(models.TextChoices):
    """Relation to the head of household (与户主关系)."""

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER = "other", _("Other")


class ResidentStatus(models.TextChoices):
    ACTIVE = "active", _("Living here")
    MOVED_OUT = "moved_out", _("Moved away")
    DECEASED = "deceased", _("Deceased")


class ResidentQuerySet(models.QuerySet["Resident"]):
    def visible_to(self, user: Any) -> ResidentQuerySet:
        """Staff see their communities' residents; a resident sees their own household."""
        ids = access.community_ids_for(user, *roles.OFFICE)
        if ids is None:
            return self
        staff = self.filter(community_id__in=ids)
        # Only while the person still lives there: after moving out, the flat's next
        # occupants are none of their business.
        own_households = Resident.objects.filter(
            user=user, household__isnull=False, status=ResidentStatus.ACTIVE
        ).values("household_id")
        return (staff | self.filter(household_id__in=own_households)).distinct()

    def active(self) -> ResidentQuerySet:
        return self.filter(status=ResidentStatus.ACTIVE)

    def adults(self, on: Any = None) -> ResidentQuerySet:
        """Living here and 18 or older on the day (today by default)."""
        day = on or timezone.localdate()
        try:
            born_by = day.replace(year=day.year - ADULT_AGE)
        except ValueError:  # 29 February
            born_by = day.replace(year=day.year - ADULT_AGE, day=28)
        return self.active().filter(birth_date__lte=born_by)

    def named_once(self, query: str) -> Resident:
        """The one resident a search names (name, initials, phone tail, ID, 楼-单元-房), or a
        refusal saying how many it found: staff naming someone in a form mean one person."""
        matches = list(self.active().search(query)[:2]) if query.strip() else []
        if len(matches) != 1:
            raise DomainError(
                "ambiguous", _("Name one resident exactly (%(n)s found)."), n=len(matches)
            )
        return matches[0]

    def search(self, query: str) -> ResidentQuerySet:
        """Find by name, pinyin initials ("zs" → 张三), phone tail, ID number or 楼-单元-房."""
        q = query.strip()
        if not q:
            return self
        compact = q.replace(" ", "").upper()
        if len(compact) in (15, 18) and compact[:-1].isdigit():
            return self.filter(id_hash=crypto.lookup_hash(compact))
        if q.isdigit():
            if len(q) == 4:
                return self.filter(phone_tail=q)
            if len(q) >= 7:
                return self.filter(phone__endswith=q)
        address = parse_address(q)
        if address is not None:
            building, entrance, room = address
            at_entrance = self.filter(
                household__entrance__building__number=building,
                household__entrance__number=entrance,
            )
            return at_entrance.filter(household__room=room) if room else at_entrance
        if q.isascii() and q.isalpha():
            letters = q.lower()
            # Two index range scans, then primary-key look-ups: query planners will not use
            # the two (community, …) indexes for an OR of the two ranges.
            either = _prefix("name_initials", letters) | _prefix("name_pinyin", letters)
            by_initials = self.filter(_prefix("name_initials", letters)).values_list("pk")
            by_pinyin = self.filter(_prefix("name_pinyin", letters)).values_list("pk")
            found: set[int] = {pk for (pk,) in by_initials[:PINYIN_MATCH_LIMIT]}
            found |= {pk for (pk,) in by_pinyin[:PINYIN_MATCH_LIMIT]}
            if len(found) >= PINYIN_MATCH_LIMIT:  # one or two letters: a scan is as good
                return self.filter(either)
            # The keys already satisfy every filter of `self`; repeating those filters would
            # lead SQLite's planner back to a scan of the community's rows.
            return Resident.objects.filter(pk__in=found)
        return self.filter(name__contains=q)


PINYIN_MATCH_LIMIT = 5000
ADULT_AGE = 18


def _prefix(field: str, letters: str) -> Q:
    """Starts-with on a lower-case ASCII column, written so that an index can serve it.

    SQLite compares bytes, so a range does it; PostgreSQL's collations may sort letters and
    punctuation unlike bytes, so there the LIKE form stays.
    """
    if connection.vendor == "sqlite":
        upper = letters[:-1] + chr(ord(letters[-1]) + 1)
        return Q(**{f"{field}__gte": letters, f"{field}__lt": upper})
    return Q(**{f"{field}__startswith": letters})


class Resident(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="residents")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    relation_to_head = models.CharField(
        _("relation to head"), max_length=20, choices=Relation.choices, default=Relation.HEAD
    )
    name = models.CharField(_("name"), max_length=50)
    # Lower-case pinyin initials ("zs" for 张三) and full pinyin, for searching by Latin letters.
    name_initials = models.CharField(max_length=50, db_index=False)
    name_pinyin = models.CharField(max_length=200)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedTextField(_("ID number"))
    id_hash = models.CharField(max_length=64)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    phone_tail = models.CharField(max_length=4, blank=True)
    health_notes = EncryptedTextField(_("health notes"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="residents", verbose_name=_("tags"))
    status = models.CharField(
        _("status"), max_length=20, choices=ResidentStatus.choices, default=ResidentStatus.ACTIVE
    )
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering: ClassVar = ["name", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["community", "id_hash"], name="resident_unique_id"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["community", "name"], name="resident_name"),
            models.Index(fields=["community", "name_initials"], name="resident_initials"),
            models.Index(fields=["community", "name_pinyin"], name="resident_pinyin"),
            models.Index(fields=["community", "phone_tail"], name="resident_phone_tail"),
            models.Index(fields=["community", "status"], name="resident_status"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return crypto.mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return crypto.mask_phone(self.phone)

    @property
    def age(self) -> int:
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class ResidencyRecord(models.Model):
    """Moving in and out, kept as history: a resident who moves away is never deleted."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="residencies")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("residence record")
        verbose_name_plural = _("residence records")
        ordering: ClassVar = ["resident", "pk"]

    def __str__(self) -> str:
        return f"{self.resident_id}: {self.moved_in_on} – {self.moved_out_on or ''}"


class ImportJob(models.Model):
    """An upload of residents, validated and applied by a background task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Checking rows")
        IMPORTING = "importing", _("Importing")
        REJECTED = "rejected", _("Rejected: nothing imported")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed: nothing imported")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200)
    # The workbook holds ID numbers, so it is kept encrypted and dropped once the job ends.
    payload = models.BinaryField(null=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    error_count = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("residents import")
        verbose_name_plural = _("residents imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.REJECTED, self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)
