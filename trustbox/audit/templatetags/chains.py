"""The heads of a school's chains next to the last digest, anywhere: {% chain_heads school %}."""

from __future__ import annotations

from typing import Any

from django import template

from trustbox.audit.digests import digest_status

register = template.Library()


@register.inclusion_tag("audit/heads.html")
def chain_heads(school: Any) -> dict[str, Any]:
    return {"status": digest_status(school=school)}
