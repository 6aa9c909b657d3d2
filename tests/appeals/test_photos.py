"""Photos: checked, re-encoded, and never carrying the place they were taken."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from linli.appeals.models import Appeal
from linli.appeals.photos import PhotoInput
from linli.core.errors import DomainError
from tests.appeals.helpers import appeal, categories
from tests.world import World

GPS_IFD = 0x8825


def jpeg_with_location() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_loses_its_location_and_camera(world: World, client: Client) -> None:
    original = jpeg_with_location()
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(GPS_IFD)  # the test photo really has a location
    a = appeal(world, photos=[PhotoInput("门口.jpg", original)])
    stored = a.photos.get()
    assert (stored.width, stored.height) == (640, 480)
    with Image.open(stored.image.open("rb")) as saved:
        assert saved.format == "JPEG"
        assert dict(saved.getexif()) == {}
    client.force_login(world.users["resident"])
    response = client.get(reverse("appeals:photo", args=["xfl", a.pk, stored.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("photos", "code"),
    [
        ([PhotoInput("x.jpg", b"")], "photo_empty"),
        ([PhotoInput("x.jpg", b"not an image at all")], "photo_type"),
        ([PhotoInput("x.gif", b"GIF89a" + b"\0" * 100)], "photo_type"),
        ([PhotoInput(f"{n}.jpg", b"x") for n in range(4)], "photos_many"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_written(
    world: World, photos: list[PhotoInput], code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        appeal(world, photos=photos)
    assert raised.value.code == code
    assert Appeal.objects.count() == 0


def test_oversized_and_huge_photos(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.APPEAL_PHOTO_MAX_BYTES = 1024
    with pytest.raises(DomainError) as raised:
        appeal(world, photos=[PhotoInput("big.jpg", jpeg_with_location())])
    assert raised.value.code == "photo_large"
    settings.APPEAL_PHOTO_MAX_BYTES = 8 * 1024 * 1024
    bomb = io.BytesIO()
    Image.new("1", (8_000, 8_000)).save(bomb, format="PNG")
    with pytest.raises(DomainError) as raised:
        appeal(world, photos=[PhotoInput("bomb.png", bomb.getvalue())])
    assert raised.value.code == "photo_pixels"


def test_a_resident_sends_a_photo_from_the_form(client: Client, world: World) -> None:
    client.force_login(world.users["resident"])
    response = client.post(
        reverse("appeals:submit", args=["xfl"]),
        {
            "category": categories()["environment"].pk,
            "text": "门口的垃圾堆了好几天",
            "photos": [SimpleUploadedFile("门口.jpg", jpeg_with_location(), "image/jpeg")],
            "idempotency_key": "photo-form",
        },
    )
    assert response.status_code == 302
    assert Appeal.objects.get().photos.count() == 1
