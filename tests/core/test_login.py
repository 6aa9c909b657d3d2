"""Logging in by username or phone, and the preferences that follow the person."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher
from django.test import Client, override_settings
from django.urls import reverse

from linli.core.models import AuditEvent, User
from tests.world import PASSWORD, World


def test_login_by_username(client: Client, world: World) -> None:
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("workbench")  # type: ignore[attr-defined]


def test_login_by_phone(client: Client, world: World) -> None:
    phone = world.users["resident"].phone
    response = client.post(reverse("login"), {"username": phone, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("people:my_household")  # type: ignore[attr-defined]


def test_wrong_password_keeps_the_username_and_explains(client: Client, world: World) -> None:
    response = client.post(reverse("login"), {"username": "staff", "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "用户名（或手机号）和密码不匹配" in body
    assert 'value="staff"' in body


def test_passwords_are_stored_with_argon2() -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        assert isinstance(get_hasher(), Argon2PasswordHasher)
        user = User(username="x")
        user.set_password("s3cret-enough")
        assert user.password.startswith("argon2$")


def test_large_font_persists_on_the_account(client: Client, world: World) -> None:
    client.force_login(world.users["resident"])
    client.post(reverse("large_font"), {"large_font": "1", "next": "/me/"})
    world.users["resident"].refresh_from_db()
    assert world.users["resident"].large_font is True
    assert AuditEvent.objects.filter(code="core.preferences_changed").exists()
    other_browser = Client()
    other_browser.force_login(world.users["resident"])
    assert 'class="large-font"' in other_browser.get("/me/").content.decode()


def test_large_font_for_anonymous_visitors_uses_a_cookie(client: Client, db: None) -> None:
    client.post(reverse("large_font"), {"large_font": "1", "next": "/login/"})
    assert 'class="large-font"' in client.get(reverse("login")).content.decode()


def test_language_switch_is_remembered(client: Client, world: World) -> None:
    client.force_login(world.users["staff"])
    client.post(reverse("set_language"), {"language": "en", "next": "/workbench/"})
    world.users["staff"].refresh_from_db()
    assert world.users["staff"].language == "en"
    page = client.get(reverse("people:residents", args=["xfl"])).content.decode()
    assert "Find a resident" in page
    client.post(reverse("set_language"), {"language": "zh-hans"})
    assert "查找居民" in client.get(reverse("people:residents", args=["xfl"])).content.decode()


def test_an_offsite_next_is_ignored(client: Client, db: None) -> None:
    response = client.post(
        reverse("large_font"), {"large_font": "1", "next": "https://evil.example/"}
    )
    assert response.url == "/"  # type: ignore[attr-defined]


def test_repeated_wrong_passwords_lock_the_name_for_a_while(client: Client, world: World) -> None:
    url = reverse("login")
    for _attempt in range(4):
        assert client.post(url, {"username": "staff", "password": "guess"}).status_code == 200
    # The fifth failure locks the name; even the right password is refused for a while.
    assert client.post(url, {"username": "staff", "password": "guess"}).status_code == 429
    locked = client.post(url, {"username": "staff", "password": PASSWORD})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another person's name is not affected.
    assert client.post(url, {"username": "leader", "password": PASSWORD}).status_code == 302


def test_opening_the_inbox_marks_only_ones_own_messages_read(client: Client, world: World) -> None:
    from linli.core.models import Notification
    from linli.core.notify import notify

    notify(
        users=[world.users["staff"], world.users["leader"]],
        code="appeals.new",
        data={"number": "X-1", "category": "供水"},
        url="/",
    )
    client.force_login(world.users["staff"])
    page = client.get(reverse("inbox")).content.decode()
    assert "X-1" in page
    assert Notification.objects.get(user=world.users["staff"]).read_at is not None
    assert Notification.objects.get(user=world.users["leader"]).read_at is None
