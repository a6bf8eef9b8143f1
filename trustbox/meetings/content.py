"""What a protocol says, as one canonical serialisation that members sign.

The content is a plain JSON object written when the protocol is drafted: names, numbers and
codes, in no particular language (the documents translate the codes), and its free text (the
discussion, the decisions, the agenda's own words, a correction's reason) only sealed to the
registry key (sealing.py). Its canonical form is JSON with sorted keys and no spaces, UTF-8;
its fingerprint is the SHA-256 of that. Every signature is over the canonical form, sealed
pieces included, so that any change of any field, or of any sealed byte, breaks all of them,
and anyone can check them without opening the sealed text.

Format 1 (before November 2026's sealing) held the free text in clear; such protocols were
sealed in place (content_seal): they say format 2 and keep "was": format 1, so that opening
their pieces gives back exactly the clear content their earlier signatures cover.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from trustbox.seal import crypto

if TYPE_CHECKING:
    from trustbox.meetings.models import Meeting, Protocol

FORMAT = "trustbox-protocol/2"
FORMAT_CLEAR = "trustbox-protocol/1"
# Put before the content when signing, so that a signature of a protocol is never taken for a
# signature of anything else.
SIGNING_CONTEXT = b"Trust Box: protocol of a meeting of the commission\n"


def content_canonical(content: Mapping[str, Any]) -> bytes:
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


def content_message(content: Mapping[str, Any]) -> bytes:
    """The bytes a member signs."""
    return SIGNING_CONTEXT + content_canonical(content)


def content_fingerprint(content: Mapping[str, Any]) -> str:
    return crypto.content_fingerprint(content_canonical(content))


def content_seal(
    content: Mapping[str, Any], seal: Callable[[str], Any]
) -> tuple[dict[str, Any], int]:
    """A format 1 content with its free text sealed by `seal`, and how many pieces were sealed.

    Content already sealed comes back unchanged.
    """
    if content.get("format") != FORMAT_CLEAR:
        return dict(content), 0
    count = 0

    def sealed(value: Any) -> Any:
        nonlocal count
        if isinstance(value, str) and value:
            count += 1
            return seal(value)
        return value

    return {
        **content,
        "format": FORMAT,
        "was": FORMAT_CLEAR,
        "agenda": [{**row, "title": sealed(row.get("title"))} for row in content["agenda"]],
        "decisions": [{**row, "text": sealed(row.get("text"))} for row in content["decisions"]],
        "text": sealed(content.get("text")),
        "correction": sealed(content.get("correction")),
    }, count


def content_has_sealed(value: Any) -> bool:
    """Whether any piece of the content is sealed."""
    if isinstance(value, dict):
        return set(value) == {"to", "sealed"} or any(map(content_has_sealed, value.values()))
    if isinstance(value, list):
        return any(map(content_has_sealed, value))
    return False


def content_as_signed_in_clear(opened: Mapping[str, Any]) -> dict[str, Any]:
    """The format 1 content that a protocol sealed in place held, from its opened content."""
    clear = dict(opened)
    if "was" in clear:
        clear["format"] = clear.pop("was")
    return clear


def fingerprint_short(fingerprint: str) -> str:
    """The first 20 hex digits in groups of four, to compare a printout by eye."""
    head = fingerprint[:20].upper()
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


def _members(meeting: Meeting) -> list[dict[str, Any]]:
    """The commission's members by name, each with her position and whether she was present."""
    present = dict(meeting.attendance.values_list("member_id", "present"))
    seats = meeting.commission.seats.select_related("user").order_by("user__full_name", "user_id")
    return [
        {
            "name": seat.user.full_name,
            "position": seat.position,
            "present": bool(present.get(seat.user_id)),
        }
        for seat in seats
    ]


def _votes(meeting: Meeting) -> list[dict[str, str]]:
    """The first session's open vote: each voter and whom she voted for, by voter."""
    election = meeting.election
    if election is None:
        return []
    by_voter: dict[int, dict[str, str]] = {}
    for vote in election.votes.select_related("voter", "candidate"):
        row = by_voter.setdefault(vote.voter_id, {"voter": vote.voter.full_name})
        row[vote.office] = vote.candidate.full_name
    return sorted(by_voter.values(), key=lambda row: row["voter"])


def _decisions(meeting: Meeting, positions: Mapping[int, int]) -> list[dict[str, Any]]:
    """The decisions as the meeting keeps them (their words sealed), each with its item's number."""
    return [
        {
            "n": decision.position,
            "item": positions.get(decision.item_id) if decision.item_id else None,
            "text": decision.sealed_text or decision.text,
            "for": decision.votes_for,
            "against": decision.votes_against,
            "abstained": decision.votes_abstained,
            "adopted": decision.adopted,
        }
        for decision in meeting.decisions.order_by("position")
    ]


def meeting_content(
    meeting: Meeting, *, year: int, number: int, text: Any, corrects: Protocol | None
) -> dict[str, Any]:
    """Write down the meeting as its protocol will say it; `text` is sealed (sealing.py).

    The agenda's words and the decisions are copied as the meeting keeps them, sealed.
    """
    commission = meeting.commission
    members = _members(meeting)
    agenda = list(meeting.agenda.order_by("position"))
    chair, secretary = commission.chair, commission.secretary
    votes = _votes(meeting)
    content: dict[str, Any] = {
        "format": FORMAT,
        "school": meeting.school.name,
        "year": year,
        "number": number,
        "kind": meeting.kind,
        "date": meeting.held_on.isoformat(),
        "time": meeting.starts_at.strftime("%H:%M") if meeting.starts_at else "",
        "place": meeting.place,
        "order": {"number": commission.order_number, "date": commission.order_date.isoformat()},
        "chair": chair.full_name if chair else "",
        "secretary": secretary.full_name if secretary else "",
        "members": members,
        "agenda": [
            {
                "n": item.position,
                "kind": item.kind,
                "reference": item.reference,
                "title": item.sealed_title or item.title,
            }
            for item in agenda
        ],
        "decisions": _decisions(meeting, {item.pk: item.position for item in agenda}),
        "votes": votes,
        "text": text,
        "correction": "",
        "corrects": (
            {"year": corrects.year, "number": corrects.number, "fingerprint": corrects.fingerprint}
            if corrects
            else None
        ),
    }
    # Words kept in clear from before the sealing (a school that could not seal yet): the content
    # says format 1, so that sealing.record_seal_leftovers finds and seals it.
    if _clear_words(content):
        content["format"] = FORMAT_CLEAR
    return content


def _clear_words(content: Mapping[str, Any]) -> bool:
    words = [content["text"], content["correction"]]
    words += [row["title"] for row in content["agenda"]]
    words += [row["text"] for row in content["decisions"]]
    return any(isinstance(value, str) and value for value in words)
