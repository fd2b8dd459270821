"""The evaluator's edits: rename, merge, split, move an opinion, hide it, confirm new ones.

Each edit takes the board as the evaluator sees it and the saved decisions, and returns
the decisions to save.  Every edit first records what the evaluator is looking at (all
themes, and every opinion already seen), so later new answers cannot change a decision
after the fact; new opinions stay new until moved, hidden or confirmed.
"""

from __future__ import annotations

from .board import ALL_EXAMPLES, MAX_EXAMPLES, MAX_NAME, Board, Decisions, OpinionError


def start(board: Board, saved: Decisions | None) -> Decisions:
    """The decisions that reproduce ``board`` exactly (new opinions left to the grouping)."""
    return Decisions(
        names=dict(board.names),
        assigned={k: list(v) for k, v in board.assigned.items() if k not in board.new},
        aliases=dict(saved.aliases) if saved else {},
        hidden=set(board.hidden),
        examples=board.examples,
        next_id=saved.next_id if saved else 1,
    )


def rename(board: Board, saved: Decisions | None, theme: str, name: str) -> Decisions:
    name = _name(board, name, theme)
    _theme(board, theme)
    d = start(board, saved)
    d.names[theme] = name
    return d


def merge(board: Board, saved: Decisions | None, source: str, target: str) -> Decisions:
    """Put every opinion of ``source`` into ``target``; what would go to ``source`` later goes there too."""
    _theme(board, source)
    _theme(board, target)
    if source == target:
        raise OpinionError("same")
    d = start(board, saved)
    for key, ids in d.assigned.items():
        d.assigned[key] = _replace(ids, source, target)
    d.aliases = {old: (target if new == source else new) for old, new in d.aliases.items()}
    d.aliases[source] = target
    del d.names[source]
    return d


def split(board: Board, saved: Decisions | None, theme: str, keys: list[str], name: str) -> tuple[Decisions, str]:
    """Move the opinions ``keys`` of ``theme`` into a new theme called ``name``; return its id."""
    name = _name(board, name, None)
    members = {a.key for a in _theme(board, theme).items}
    keys = list(dict.fromkeys(keys))
    if not keys or not set(keys) <= members or len(keys) == len(members):
        raise OpinionError("split")
    d = start(board, saved)
    new_id = f"e:{d.next_id}"
    d.next_id += 1
    d.names[new_id] = name
    for key in keys:
        d.assigned[key] = _replace(list(board.assigned[key]), theme, new_id)
    return d, new_id


def move(board: Board, saved: Decisions | None, key: str, source: str, target: str) -> Decisions:
    """Take the opinion ``key`` out of ``source`` and put it into ``target``."""
    board.item(key)
    if source not in board.assigned.get(key, ()):
        raise OpinionError("answer")
    if target not in board.names:
        raise OpinionError("theme")
    if source == target:
        raise OpinionError("same")
    d = start(board, saved)
    d.assigned[key] = _replace(list(board.assigned[key]), source, target)
    return d


def hide(board: Board, saved: Decisions | None, key: str, hidden: bool) -> Decisions:
    """Leave the opinion ``key`` out of the report (``hidden``) or take it back in; it stays in the data."""
    board.item(key)
    d = start(board, saved)
    d.assigned[key] = list(board.assigned[key])
    (d.hidden.add if hidden else d.hidden.discard)(key)
    return d


def acknowledge(board: Board, saved: Decisions | None) -> Decisions:
    """Accept the new opinions where the grouping put them (they are no longer marked new)."""
    d = start(board, saved)
    d.assigned.update({k: list(board.assigned[k]) for k in board.new})
    return d


def set_examples(board: Board, saved: Decisions | None, n: int) -> Decisions:
    """How many representative answers the report quotes per theme (``ALL_EXAMPLES``: every one)."""
    if n != ALL_EXAMPLES and not 0 <= n <= MAX_EXAMPLES:
        raise OpinionError("examples", n=MAX_EXAMPLES)
    d = start(board, saved)
    d.examples = n
    return d


def _theme(board: Board, theme: str):
    found = next((t for t in board.themes() if t.id == theme), None)
    if found is None:
        raise OpinionError("theme")
    return found


def _name(board: Board, name: str, theme: str | None) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_NAME:
        raise OpinionError("name", n=MAX_NAME)
    if any(n == name and tid != theme for tid, n in board.names.items()):
        raise OpinionError("name_taken", name=name)
    return name


def _replace(ids: list[str], old: str, new: str) -> list[str]:
    return list(dict.fromkeys(new if tid == old else tid for tid in ids))
