"""The heads of a school's chains next to the last digest, anywhere: {% chain_heads school %}.

{% chain_heads school folded=True %} says in plain words whether the chains still hold what the
last digest recorded, and keeps the counts and codes behind a "details" for who compares them.
"""

from __future__ import annotations

from typing import Any

from django import template

from trustbox.audit.digests import digest_status

register = template.Library()


@register.inclusion_tag("audit/heads.html")
def chain_heads(school: Any, folded: bool = False) -> dict[str, Any]:
    return {"status": digest_status(school=school), "folded": folded}
