"""Photos of an appeal: checked, re-encoded without metadata (EXIF location stripped)."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from linli.core.errors import DomainError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
MAX_PHOTOS = 3
MAX_SIDE = 2560
# A decompression bomb (a tiny file that decodes to gigapixels) is refused before decoding.
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class PhotoInput:
    name: str
    data: bytes


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile[bytes]
    width: int
    height: int


def clean_photo(photo: PhotoInput) -> CleanPhoto:
    """Check the type and size and return a JPEG with no metadata at all (no GPS, no camera)."""
    if not photo.data:
        raise DomainError("photo_empty", _("The photo “%(name)s” is empty."), name=photo.name)
    limit = settings.APPEAL_PHOTO_MAX_BYTES
    if len(photo.data) > limit:
        raise DomainError(
            "photo_large",
            _("The photo “%(name)s” is larger than %(limit)s MB."),
            name=photo.name,
            limit=limit // (1024 * 1024),
        )
    try:
        with Image.open(io.BytesIO(photo.data)) as image:
            if image.format not in ALLOWED_FORMATS:
                raise UnidentifiedImageError
            if image.width * image.height > MAX_PIXELS:
                raise DomainError(
                    "photo_pixels", _("The photo “%(name)s” is too large."), name=photo.name
                )
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise DomainError(
            "photo_type", _("“%(name)s” is not a JPEG, PNG or WebP photo."), name=photo.name
        ) from None
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    # Saved without exif=…: nothing of the original metadata survives.
    upright.save(out, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(
        ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), upright.width, upright.height
    )


def clean_photos(photos: list[PhotoInput]) -> list[CleanPhoto]:
    if len(photos) > MAX_PHOTOS:
        raise DomainError("photos_many", _("At most %(count)s photos."), count=MAX_PHOTOS)
    return [clean_photo(photo) for photo in photos]
