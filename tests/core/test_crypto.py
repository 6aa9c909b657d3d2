"""Sensitive fields: encrypted at rest, looked up by keyed hash, masked on screen."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings

from linli.core import crypto
from tests.world import World


def test_encrypt_round_trip_and_fresh_nonce() -> None:
    first, second = crypto.encrypt("11010519491231002X"), crypto.encrypt("11010519491231002X")
    assert first != second
    assert crypto.decrypt(first) == crypto.decrypt(second) == "11010519491231002X"


def test_old_keys_still_decrypt_after_rotation() -> None:
    token = crypto.encrypt("秘密")
    old = crypto._keys()
    try:
        with override_settings(
            FIELD_ENCRYPTION_KEY="n" * 40,
            FIELD_ENCRYPTION_OLD_KEYS=["test-field-key-not-for-production-0123456789"],
        ):
            crypto.reset_keys()
            assert crypto.decrypt(token) == "秘密"
            assert crypto.encrypt("x").split("$")[0] != token.split("$")[0]
    finally:
        crypto.reset_keys()
    assert crypto._keys()[0] == old[0]


def test_lookup_hash_is_keyed_and_normalised() -> None:
    assert crypto.lookup_hash(" 11010519491231002x ") == crypto.lookup_hash("11010519491231002X")
    assert crypto.lookup_hash("11010519491231002X") != crypto.lookup_hash("110105194912310038")


@pytest.mark.parametrize(
    ("value", "masked"),
    [("11010519491231002X", "1101**********002X"), ("", ""), ("1234", "****")],
)
def test_mask_id_number(value: str, masked: str) -> None:
    assert crypto.mask_id_number(value) == masked


def test_mask_phone() -> None:
    assert crypto.mask_phone("13812345678") == "138****5678"


def test_no_table_holds_an_id_number_or_health_note_in_clear(world: World) -> None:
    zhang = world.residents["zhang"]
    secrets = [zhang.id_number, "高血压"]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                for secret in secrets:
                    assert secret not in text, f"{secret!r} in clear in {table}"


def test_rotating_the_field_key_keeps_the_lookup_hashes(world: World) -> None:
    from linli.people.models import Resident

    zhang = world.residents["zhang"]
    try:
        with override_settings(
            FIELD_ENCRYPTION_KEY="n" * 40,
            FIELD_ENCRYPTION_OLD_KEYS=["test-field-key-not-for-production-0123456789"],
        ):
            crypto.reset_keys()
            assert (
                Resident.objects.filter(community=world.community).search(zhang.id_number).get()
                == zhang
            )
    finally:
        crypto.reset_keys()
