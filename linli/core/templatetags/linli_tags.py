"""Template helpers."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from linli.core.views_helpers import may_open

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """{{ row|get_item:key }}: a dict value by a variable key."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.simple_tag(takes_context=True)
def permitted_url(context: template.Context, name: str, *args: Any) -> str:
    """{% permitted_url 'appeals:board' community.code as url %}: the address of a page if the
    person may open it, else "" — so a link is shown only to the roles its page lets in."""
    url = reverse(name, args=args)
    request = context.get("request")
    if request is None:
        return ""
    return url if may_open(request.user, url, context.get("community")) else ""
