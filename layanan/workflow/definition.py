"""Workflow definitions as data (pure: no ORM, no settings, no clock).

A ``WorkflowDefinition`` is a set of ``State``s, the ``Transition``s between them and the deadlines
in working days. It is validated when it is built, so a definition that exists is usable: every
state is known and reachable from the initial state, final states have no way out, other states
have one, keys are unique. ``as_dict`` / ``from_dict`` turn it into plain JSON-able data and back,
exactly, so an agency can store and edit its own copy.

Labels are the English source strings (the gettext message ids); ``display_label`` translates them
lazily when shown. An agency that types its own label gets it back untranslated.

Conditions (``Transition.requires``) are names the caller evaluates for the case at hand, such as
``"fee"`` (a fee applies) or ``"paid"``; a leading ``!`` negates one (``"!fee"``: no fee applies).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

Clock = Literal["running", "paused", "stopped"]
CLOCKS: tuple[Clock, ...] = ("running", "paused", "stopped")

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_CONDITION = re.compile(r"^!?[a-z][a-z0-9_]*$")


class TransitionNotAllowed(Exception):
    """A transition that may not be taken; ``code`` says why.

    Codes: ``unknown_transition``, ``unknown_state``, ``wrong_state``, ``role_not_allowed``,
    ``condition_not_met``. The ORM action maps ``role_not_allowed`` to ``PermissionDenied`` and the
    others to ``ValidationError``.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class State:
    """A state of a case. ``clock`` says whether deadlines run, pause or stop while in it."""

    key: str
    label: str
    is_final: bool = False
    clock: Clock = "running"
    deadline_working_days: int | None = None

    @property
    def display_label(self) -> Promise:
        return gettext_lazy(self.label)

    @property
    def effective_clock(self) -> Clock:
        """A final state always stops the clock."""
        return "stopped" if self.is_final else self.clock


@dataclass(frozen=True)
class Transition:
    """A named move from any state in ``source`` to ``target``, open to the given ``roles``."""

    key: str
    source: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str
    requires_note: bool = False
    requires: tuple[str, ...] = ()

    @property
    def display_label(self) -> Promise:
        return gettext_lazy(self.label)

    def conditions_met(self, facts: Collection[str]) -> bool:
        """Whether every condition holds, given the names of the facts that are true for the case."""
        for condition in self.requires:
            if condition.startswith("!"):
                if condition[1:] in facts:
                    return False
            elif condition not in facts:
                return False
        return True


@dataclass(frozen=True)
class Alarm:
    """A deadline of ``working_days`` that starts when a case (last) enters ``start_state`` and is
    met when it then enters any of ``stop_states``; e.g. UU 30/2014 Pasal 53: a decision within 5
    working days after the application is complete."""

    key: str
    label: str
    start_state: str
    stop_states: frozenset[str]
    working_days: int

    @property
    def display_label(self) -> Promise:
        return gettext_lazy(self.label)


@dataclass(frozen=True)
class WorkflowDefinition:
    key: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    initial: str
    overall_deadline_working_days: int | None = None
    alarms: tuple[Alarm, ...] = ()
    # The overall clock starts when the case first enters this state (None: at the start), e.g.
    # "processing" for a standard whose time counts from the complete application.
    overall_starts_at: str | None = None
    _states: dict[str, State] = field(init=False, repr=False, compare=False)
    _transitions: dict[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "states", tuple(self.states))
        object.__setattr__(self, "transitions", tuple(self.transitions))
        object.__setattr__(self, "alarms", tuple(self.alarms))
        problems = _problems(self)
        if problems:
            raise ValueError(f"Invalid workflow {self.key!r}: " + "; ".join(problems))
        object.__setattr__(self, "_states", {s.key: s for s in self.states})
        object.__setattr__(self, "_transitions", {t.key: t for t in self.transitions})

    # Reads ---------------------------------------------------------------------------------------

    def state(self, key: str) -> State:
        try:
            return self._states[key]
        except KeyError:
            raise TransitionNotAllowed(f"Unknown state {key!r}.", code="unknown_state") from None

    def has_state(self, key: str) -> bool:
        return key in self._states

    def allowed_transitions(
        self, state: str, roles: Collection[str], facts: Collection[str] | None = None
    ) -> list[Transition]:
        """The transitions out of ``state`` open to any of ``roles``, in definition order.

        With ``facts`` (the names of the conditions true for the case), transitions whose
        conditions do not hold are left out; without, conditions are not checked.
        """
        self.state(state)
        return [
            t
            for t in self.transitions
            if state in t.source
            and not t.roles.isdisjoint(roles)
            and (facts is None or t.conditions_met(facts))
        ]

    def transition(
        self, key: str, from_state: str, roles: Collection[str], facts: Collection[str] | None = None
    ) -> Transition:
        """The transition ``key`` from ``from_state`` for an actor holding ``roles``.

        Raises ``TransitionNotAllowed`` with the reason as ``code``.
        """
        found = self._transitions.get(key)
        if found is None:
            raise TransitionNotAllowed(f"Unknown transition {key!r}.", code="unknown_transition")
        self.state(from_state)
        if from_state not in found.source:
            raise TransitionNotAllowed(
                f"Transition {key!r} cannot be taken from state {from_state!r}.", code="wrong_state"
            )
        if found.roles.isdisjoint(roles):
            raise TransitionNotAllowed(
                f"Transition {key!r} is not open to roles {sorted(roles)!r}.", code="role_not_allowed"
            )
        if facts is not None and not found.conditions_met(facts):
            raise TransitionNotAllowed(
                f"Transition {key!r} requires {list(found.requires)!r}.", code="condition_not_met"
            )
        return found

    # Data ----------------------------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able data; ``from_dict(d.as_dict()) == d``. Sets are written sorted."""
        return {
            "key": self.key,
            "initial": self.initial,
            "overall_deadline_working_days": self.overall_deadline_working_days,
            "overall_starts_at": self.overall_starts_at,
            "states": [
                {
                    "key": s.key,
                    "label": s.label,
                    "is_final": s.is_final,
                    "clock": s.clock,
                    "deadline_working_days": s.deadline_working_days,
                }
                for s in self.states
            ],
            "transitions": [
                {
                    "key": t.key,
                    "source": sorted(t.source),
                    "target": t.target,
                    "roles": sorted(t.roles),
                    "label": t.label,
                    "requires_note": t.requires_note,
                    "requires": list(t.requires),
                }
                for t in self.transitions
            ],
            "alarms": [
                {
                    "key": a.key,
                    "label": a.label,
                    "start_state": a.start_state,
                    "stop_states": sorted(a.stop_states),
                    "working_days": a.working_days,
                }
                for a in self.alarms
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorkflowDefinition:
        """Build (and validate) a definition from ``as_dict`` data; ValueError on bad data."""
        try:
            return cls(
                key=_str(data["key"]),
                initial=_str(data["initial"]),
                overall_deadline_working_days=_opt_int(data.get("overall_deadline_working_days")),
                overall_starts_at=_opt_str(data.get("overall_starts_at")),
                states=tuple(
                    State(
                        key=_str(s["key"]),
                        label=_str(s["label"]),
                        is_final=_bool(s.get("is_final", False)),
                        clock=_clock(s.get("clock", "running")),
                        deadline_working_days=_opt_int(s.get("deadline_working_days")),
                    )
                    for s in _list(data["states"])
                ),
                transitions=tuple(
                    Transition(
                        key=_str(t["key"]),
                        source=frozenset(_strs(t["source"])),
                        target=_str(t["target"]),
                        roles=frozenset(_strs(t["roles"])),
                        label=_str(t["label"]),
                        requires_note=_bool(t.get("requires_note", False)),
                        requires=tuple(_strs(t.get("requires", []))),
                    )
                    for t in _list(data["transitions"])
                ),
                alarms=tuple(
                    Alarm(
                        key=_str(a["key"]),
                        label=_str(a["label"]),
                        start_state=_str(a["start_state"]),
                        stop_states=frozenset(_strs(a["stop_states"])),
                        working_days=_int(a["working_days"]),
                    )
                    for a in _list(data.get("alarms", []))
                ),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"Malformed workflow data: {exc!r}") from exc


# Validation --------------------------------------------------------------------------------------


def _duplicates(keys: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dupes: list[str] = []
    for key in keys:
        if key in seen and key not in dupes:
            dupes.append(key)
        seen.add(key)
    return dupes


def _problems(definition: WorkflowDefinition) -> list[str]:
    """Every problem of a definition, in a stable order; empty when it is valid."""
    problems: list[str] = []
    states = {s.key: s for s in definition.states}
    if not _KEY.match(definition.key):
        problems.append(f"workflow key {definition.key!r} is not a lowercase identifier")
    if not definition.states:
        problems.append("no states")
    for dupe in _duplicates(s.key for s in definition.states):
        problems.append(f"duplicate state {dupe!r}")
    for dupe in _duplicates(t.key for t in definition.transitions):
        problems.append(f"duplicate transition {dupe!r}")
    for dupe in _duplicates(a.key for a in definition.alarms):
        problems.append(f"duplicate alarm {dupe!r}")
    for state in definition.states:
        if not _KEY.match(state.key):
            problems.append(f"state key {state.key!r} is not a lowercase identifier")
        if state.clock not in CLOCKS:
            problems.append(f"state {state.key!r} has unknown clock {state.clock!r}")
        if state.deadline_working_days is not None:
            if state.deadline_working_days < 1:
                problems.append(f"state {state.key!r} has a deadline below 1 working day")
            if state.is_final:
                problems.append(f"final state {state.key!r} has a deadline")
    if definition.initial not in states:
        problems.append(f"initial state {definition.initial!r} is unknown")
    elif states[definition.initial].is_final:
        problems.append(f"initial state {definition.initial!r} is final")
    if definition.overall_starts_at is not None and definition.overall_starts_at not in states:
        problems.append(f"the overall deadline starts at unknown state {definition.overall_starts_at!r}")
    overall = definition.overall_deadline_working_days
    if overall is not None and overall < 1:
        problems.append("overall deadline below 1 working day")
    outgoing: dict[str, list[str]] = {}
    for t in definition.transitions:
        if not _KEY.match(t.key):
            problems.append(f"transition key {t.key!r} is not a lowercase identifier")
        if not t.source:
            problems.append(f"transition {t.key!r} has no source state")
        for source in sorted(t.source):
            if source not in states:
                problems.append(f"transition {t.key!r} leaves unknown state {source!r}")
            else:
                outgoing.setdefault(source, []).append(t.key)
        if t.target not in states:
            problems.append(f"transition {t.key!r} enters unknown state {t.target!r}")
        if t.target in t.source:
            problems.append(f"transition {t.key!r} loops on state {t.target!r}")
        if not t.roles:
            problems.append(f"transition {t.key!r} is open to no role")
        for condition in t.requires:
            if not _CONDITION.match(condition):
                problems.append(f"transition {t.key!r} has malformed condition {condition!r}")
    for state in definition.states:
        exits = outgoing.get(state.key, [])
        if state.is_final and exits:
            problems.append(f"final state {state.key!r} has outgoing transitions {exits!r}")
        if not state.is_final and not exits:
            problems.append(f"state {state.key!r} is not final and has no outgoing transition")
    for alarm in definition.alarms:
        if alarm.start_state not in states:
            problems.append(f"alarm {alarm.key!r} starts at unknown state {alarm.start_state!r}")
        for stop in sorted(alarm.stop_states - states.keys()):
            problems.append(f"alarm {alarm.key!r} stops at unknown state {stop!r}")
        if not alarm.stop_states:
            problems.append(f"alarm {alarm.key!r} has no stop state")
        if alarm.working_days < 1:
            problems.append(f"alarm {alarm.key!r} is below 1 working day")
    if definition.initial in states:
        reached = {definition.initial}
        frontier = [definition.initial]
        while frontier:
            here = frontier.pop()
            for t in definition.transitions:
                if here in t.source and t.target in states and t.target not in reached:
                    reached.add(t.target)
                    frontier.append(t.target)
        for state in definition.states:
            if state.key not in reached:
                problems.append(f"state {state.key!r} is unreachable from {definition.initial!r}")
    return problems


# Parsing helpers (from_dict) ---------------------------------------------------------------------


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an integer, got {value!r}")
    return value


def _opt_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _opt_int(value: object) -> int | None:
    return None if value is None else _int(value)


def _clock(value: object) -> Clock:
    for clock in CLOCKS:
        if value == clock:
            return clock
    raise TypeError(f"expected one of {CLOCKS!r}, got {value!r}")


def _list(value: object) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise TypeError(f"expected a list, got {value!r}")
    return list(value)


def _strs(value: object) -> list[str]:
    return [_str(item) for item in _list(value)]
