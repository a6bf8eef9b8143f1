"""How the log page names the things entries are about, by the apps that own them.

An entry's target is stored as "app_label.model:pk". The app that owns the model registers
a namer that turns a page's worth of primary keys into names (and links) in one query, so
the log page shows «2026/014» or «opening № 3» instead of "registry.appeal:14" without
importing the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class TargetName:
    name: StrOrPromise
    url: str = ""


# (school, primary keys) -> {pk: name}; keys not found are left out.
TargetNamer = Callable[[Any, Iterable[int]], Mapping[int, TargetName]]

_NAMERS: dict[str, TargetNamer] = {}
# What each detail key of an entry is called, and the labels of its values.
_DETAILS: dict[str, tuple[StrOrPromise, dict[str, StrOrPromise]]] = {}


def target_namer_register(model_label: str, namer: TargetNamer) -> None:
    """Name targets of one model ("registry.appeal"); called from the owner's AppConfig.ready()."""
    _NAMERS[model_label] = namer


def target_split(target: str) -> tuple[str, int] | None:
    label, _sep, pk = target.partition(":")
    if not label or not pk.isdigit():
        return None
    return label, int(pk)


def targets_name(school: Any, targets: Iterable[str]) -> dict[str, TargetName]:
    """Name every target of a page of entries: one call per kind of thing named."""
    by_model: dict[str, set[int]] = {}
    for target in targets:
        split = target_split(target)
        if split is not None:
            by_model.setdefault(split[0], set()).add(split[1])
    names: dict[str, TargetName] = {}
    for label, pks in by_model.items():
        namer = _NAMERS.get(label)
        if namer is None:
            continue
        for pk, name in namer(school, pks).items():
            names[f"{label}:{pk}"] = name
    return names


def detail_register(key: str, label: StrOrPromise, values: Mapping[str, StrOrPromise]) -> None:
    """Show a detail of entries on the log page ("purpose", "channel"…), with value labels.

    Only registered details are ever shown; several apps may add values to the same key.
    """
    known = _DETAILS.get(key)
    merged = {**(known[1] if known else {}), **values}
    _DETAILS[key] = (label, merged)


def details_shown(details: Mapping[str, Any]) -> list[tuple[StrOrPromise, StrOrPromise]]:
    """The registered details of an entry, labelled; nothing else an entry may hold."""
    shown = []
    for key, (label, values) in _DETAILS.items():
        value = details.get(key)
        if value:
            shown.append((label, values.get(str(value), str(value))))
    return shown
