"""The quick-capture line: what a facilitator types, in one go, while people talk.

One line becomes one note (a :class:`CaptureDraft`), in the TUI's capture line and in
``facilitator capture TEXT``. Examples::

    constat: @Les-Jardins #rh les bénévoles s'essoufflent
    frein @jardins #finances dépendance à une subvention unique
    pa: @ressourcerie #alliances mutualiser un poste avec @Vélo-école
    ? comment valoriser le bénévolat

The rules, chosen so that an ordinary sentence is never misread:

**Kind.** A leading word from :data:`KIND_PREFIXES` sets the note's kind when it is
followed by ``:`` (``frein: ...``, ``frein : ...``, ``Condition de réussite: ...``), or
when it is followed directly by an ``@mention`` or a ``#tag`` (``frein @jardins ...``).
Followed by an ordinary word it is just the start of the sentence: ``Freinage des dons``,
``action sociale en baisse`` and ``retour à l'équilibre en 2025`` are notes of the default
kind, kept whole. Prefixes ignore case, accents, hyphens and apostrophes
(``problematique:``, ``PISTE-D-ACTION:``). A leading ``?`` always means a question.
Without a prefix the note takes the caller's default kind (``constat``).

**Mentions.** ``@name`` names a structure of the cohort; case, accents, hyphens,
underscores and punctuation are ignored. It matches a structure when it is the start of
the name (``@jardins`` → « Jardins de Cocagne »), of the name without its leading article
(``@jardins`` → « Les Jardins de Cocagne »), or of the name from any later word that is
not a link word like *de* or *et* (``@cocagne``, ``@la-trame`` → « Ressourcerie La
Trame »). Multi-word names are written with
hyphens or underscores (``@Jardins-de-Cocagne``); words typed after the mention with
plain spaces are also read as part of it while they continue a structure's name
(``@Les Jardins #rh ...``), never ending on a small word (``@jardins de plus en plus``
reads ``@jardins``). An exact name wins over names it only begins; otherwise exactly one
structure must match, or :class:`~facilitator.domain.InvalidInput` says which ones could
be meant. Every mention must name a structure (a typo is caught while the group is still
in the room); to name an outside partner, write it without ``@``.

The first mention sets the note's structure. When the caller gives a
``default_structure`` (a bilan, ``--structure``), only a mention at the very start
overrides it: ``pa: mutualiser un poste avec @Vélo-école`` during the Jardins bilan stays
a Jardins note that mentions Vélo-école.

**Tags.** ``#tag`` names an MSE lever (:data:`LEVER_TAGS`, matched exactly:
``#rh``, ``#finances``, ``#alliances``...) or, failing that, a DAS of the note's structure
(of every structure when the note has none), matched like a mention. An unknown tag, an
ambiguous one, or two different levers or DAS on one note are refused. Tags start with a
letter, so ``priorité #1`` is plain text; ``@`` and ``#`` glued to a word (an email
address) are plain text too.

**Stored text.** What is stored is the line as typed, minus the kind prefix, minus every
``#tag`` (they live in the note's lever and DAS fields), and minus the structure's mention
when it opens the note (``@Les-Jardins les bénévoles...`` → ``les bénévoles...``), since
the feed shows the structure beside the text, with the separator typed after it
(``@jardins : le CA...`` → ``le CA...``). Mentions inside the sentence stay as typed,
``@`` included, because they are part of what was said. Runs of spaces are collapsed.
Nothing left → ``capture.error.empty``.

This module is core: it never imports Textual. The TUI uses :func:`completions` for its
``@``/``#`` completion and the CLI uses :func:`kind_from_word` for ``--kind``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from facilitator.domain import InvalidInput, Lever, Note, NoteKind, Structure, label
from facilitator.i18n import t
from facilitator.text import fold

__all__ = [
    "KIND_PREFIXES",
    "LEVER_TAGS",
    "QUESTION_MARK",
    "CaptureDraft",
    "complete_mention",
    "complete_tag",
    "completions",
    "fold",
    "kind_from_word",
    "mention_token",
    "parse_capture",
    "prefixes_for",
    "syntax_help",
    "tag_token",
]

# --- the tables ------------------------------------------------------------------------

KIND_PREFIXES: dict[str, NoteKind] = {
    # constat — a finding about the current model
    "constat": NoteKind.FINDING,
    "cst": NoteKind.FINDING,
    "c": NoteKind.FINDING,
    "finding": NoteKind.FINDING,
    # problématique — a key issue raised
    "problématique": NoteKind.PROBLEM,
    "problème": NoteKind.PROBLEM,
    "prob": NoteKind.PROBLEM,
    "pb": NoteKind.PROBLEM,
    "issue": NoteKind.PROBLEM,
    "key issue": NoteKind.PROBLEM,
    "problem": NoteKind.PROBLEM,
    # ambition — where the structure wants to go
    "ambition": NoteKind.AMBITION,
    "amb": NoteKind.AMBITION,
    # frein — an obstacle to the evolution
    "frein": NoteKind.OBSTACLE,
    "f": NoteKind.OBSTACLE,
    "obstacle": NoteKind.OBSTACLE,
    # condition de réussite
    "condition de réussite": NoteKind.SUCCESS_CONDITION,
    "condition": NoteKind.SUCCESS_CONDITION,
    "cond": NoteKind.SUCCESS_CONDITION,
    "cr": NoteKind.SUCCESS_CONDITION,
    "success condition": NoteKind.SUCCESS_CONDITION,
    # effet miroir — what peers reflect back
    "effet miroir": NoteKind.MIRROR,
    "miroir": NoteKind.MIRROR,
    "em": NoteKind.MIRROR,
    "mirror": NoteKind.MIRROR,
    "mirror effect": NoteKind.MIRROR,
    # piste d'action
    "piste d'action": NoteKind.ACTION,
    "piste": NoteKind.ACTION,
    "action": NoteKind.ACTION,
    "pa": NoteKind.ACTION,
    "action idea": NoteKind.ACTION,
    # question (a leading "?" too, see QUESTION_MARK)
    "question": NoteKind.QUESTION,
    "q": NoteKind.QUESTION,
    # évolution de la vision (bilan)
    "évolution de la vision": NoteKind.VISION_CHANGE,
    "vision": NoteKind.VISION_CHANGE,
    "ev": NoteKind.VISION_CHANGE,
    "change of view": NoteKind.VISION_CHANGE,
    # retour sur l'accompagnement (bilan)
    "retour": NoteKind.FEEDBACK,
    "retour sur l'accompagnement": NoteKind.FEEDBACK,
    "ret": NoteKind.FEEDBACK,
    "feedback": NoteKind.FEEDBACK,
}
"""Every word a line may start with to set the note's kind, in the order help shows them.

Written as people read them; matching folds case, accents, hyphens and apostrophes, so
``piste d'action``, ``Piste-d-action`` and ``PISTE D ACTION`` are one entry. The kinds'
stable values (``piste-action``, ``evolution-vision``...) are accepted as well. A prefix
counts only before ``:`` or directly before an ``@mention``/``#tag`` (module docstring).
"""

QUESTION_MARK = "?"
"""A line starting with this is a question, with or without a space after it."""

LEVER_TAGS: dict[str, Lever] = {
    # richesses humaines
    "rh": Lever.HUMAN,
    "humain": Lever.HUMAN,
    "humains": Lever.HUMAN,
    "richesses-humaines": Lever.HUMAN,
    "ressources-humaines": Lever.HUMAN,
    "bénévoles": Lever.HUMAN,
    "bénévole": Lever.HUMAN,
    "bénévolat": Lever.HUMAN,
    "hr": Lever.HUMAN,
    "human": Lever.HUMAN,
    "human-resources": Lever.HUMAN,
    # ressources financières
    "rf": Lever.FINANCIAL,
    "finances": Lever.FINANCIAL,
    "financier": Lever.FINANCIAL,
    "financières": Lever.FINANCIAL,
    "ressources-financières": Lever.FINANCIAL,
    "finance": Lever.FINANCIAL,
    "financial": Lever.FINANCIAL,
    "funding": Lever.FINANCIAL,
    # alliances et partenariats
    "ap": Lever.ALLIANCES,
    "alliances": Lever.ALLIANCES,
    "alliance": Lever.ALLIANCES,
    "partenariats": Lever.ALLIANCES,
    "partenariat": Lever.ALLIANCES,
    "alliances-partenariats": Lever.ALLIANCES,
    "partnerships": Lever.ALLIANCES,
    "partnership": Lever.ALLIANCES,
}
"""Every ``#tag`` that names a lever, matched exactly (case, accents, hyphens ignored).

Levers are tried before DAS names, so a DAS called « Finances » is reached with a longer
tag. The tag offered first in completion and messages is the catalogue's
``capture.lever_tag.<lever>`` for the current language (``#rh`` in French, ``#hr`` in
English).
"""

ARTICLES = frozenset({"le", "la", "les", "l", "the"})
"""A name's leading article may be left out of a mention (``@jardins`` → Les Jardins)."""

LINK_WORDS = frozenset(
    {"de", "du", "des", "d", "et", "a", "au", "aux", "en", "sur", "pour", "of", "and"}
)
"""Words a mention never starts from inside a name (``@de`` is no way to name anything)."""

SMALL_WORDS = ARTICLES | LINK_WORDS
"""Words a mention read across spaces never ends on (``@jardins de plus`` → ``@jardins``)."""

MAX_ABSORBED_WORDS = 6
"""How many space-separated words after ``@name`` may still be read as part of it."""

_LIST_SEPARATOR = ", "

# --- folding -------------------------------------------------------------------------


def _compact(words: Iterable[str]) -> str:
    return "".join(words)


_KIND_LOOKUP: dict[str, NoteKind] = {
    **{fold(kind.value): kind for kind in NoteKind},
    **{fold(word): kind for word, kind in KIND_PREFIXES.items()},
}
_MAX_PREFIX_WORDS = max(len(key.split()) for key in _KIND_LOOKUP)
_LEVER_LOOKUP: dict[str, Lever] = {
    **{_compact(fold(lever.value).split()): lever for lever in Lever},
    **{_compact(fold(tag).split()): lever for tag, lever in LEVER_TAGS.items()},
}


def kind_from_word(word: str) -> NoteKind | None:
    """The kind a word names (a prefix of :data:`KIND_PREFIXES` or a kind's value).

    For ``--kind`` on the command line and anywhere a kind is typed on its own; the
    trailing ``:`` people add out of habit is accepted.
    """
    raw = word.strip()
    if raw.rstrip(":").strip() == QUESTION_MARK:
        return NoteKind.QUESTION
    return _KIND_LOOKUP.get(fold(raw))


def prefixes_for(kind: NoteKind) -> tuple[str, ...]:
    """The prefixes that set ``kind``, in table order (for help screens)."""
    return tuple(word for word, k in KIND_PREFIXES.items() if k is kind)


# --- scanning ------------------------------------------------------------------------

_BODY = r"(?:[\w'’-]*[^\W_])?"
_MENTION = rf"@[^\W_]{_BODY}"
_TAG = rf"#[^\W\d_]{_BODY}"
# A marker starts after a non-word character; markers glued to each other form one run
# ("@jardins#rh") so that removing one never leaves another looking different.
_RUN_RE = re.compile(rf"(?<!\w)(?:{_MENTION}|{_TAG})+")
_MARKER_RE = re.compile(rf"{_MENTION}|{_TAG}")
# A plain word after a mention, that may be read as part of the name.
_NEXT_WORD_RE = re.compile(r"[^\S\n]+(?P<word>[^\W_]" + _BODY + r")(?=[^\w'’\-@#]|\Z)")
_PREFIX_COLON_RE = re.compile(r"\s*(?P<head>[\w'’\- ]{1,60}?)\s*:")
_TOKEN_CHARS_RE = re.compile(r"[\w'’-]")


@dataclass(frozen=True)
class _Marker:
    sigil: str  # "@" or "#"
    name: str  # as typed, without the sigil
    start: int
    end: int


def _markers(text: str) -> Iterator[_Marker]:
    for run in _RUN_RE.finditer(text):
        for m in _MARKER_RE.finditer(text, run.start(), run.end()):
            yield _Marker(m.group()[0], m.group()[1:], m.start(), m.end())


def _split_kind(line: str, default_kind: NoteKind) -> tuple[NoteKind, str]:
    """The kind the line opens with, and the rest of the line."""
    body = line.strip()
    if body.startswith(QUESTION_MARK):
        return NoteKind.QUESTION, body[len(QUESTION_MARK) :]
    colon = _PREFIX_COLON_RE.match(body)
    if colon is not None:
        kind = _KIND_LOOKUP.get(fold(colon.group("head")))
        if kind is not None:
            return kind, body[colon.end() :]
    tokens = list(re.finditer(r"\S+", body))[: _MAX_PREFIX_WORDS + 1]
    for n in range(1, len(tokens)):
        words = tokens[:n]
        if not all(re.fullmatch(r"[\w'’-]+", w.group()) for w in words):
            break
        following = tokens[n]
        starts_marker = _RUN_RE.match(body, following.start()) is not None
        if not starts_marker:
            continue
        kind = _KIND_LOOKUP.get(fold(" ".join(w.group() for w in words)))
        if kind is not None:
            return kind, body[following.start() :]
    return default_kind, body


# --- matching names ------------------------------------------------------------------

_EXACT, _EXACT_BARE, _PREFIX, _INNER = 0, 1, 2, 3


def _tier(key: str, name: str) -> int | None:
    """How well a folded, compacted mention ``key`` matches ``name``; None if not at all.

    Lower is better: the whole name, the name without its article, the start of either,
    the start of a later word (not a link word).
    """
    if not key:
        return None
    words = fold(name).split()
    if not words:
        return None
    full = _compact(words)
    bare_words = words[1:] if len(words) > 1 and words[0] in ARTICLES else words
    bare = _compact(bare_words)
    if key == full:
        return _EXACT
    if key == bare:
        return _EXACT_BARE
    if full.startswith(key) or bare.startswith(key):
        return _PREFIX
    for i in range(1, len(words)):
        if words[i] not in LINK_WORDS and _compact(words[i:]).startswith(key):
            return _INNER
    return None


def _ranked(key: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """``(tier, index)`` of every name ``key`` matches, best first, then alphabetical."""
    found = [(tier, i) for i, name in enumerate(names) if (tier := _tier(key, name)) is not None]
    return sorted(found, key=lambda ti: (ti[0], fold(names[ti[1]]), ti[1]))


def _pick(key: str, names: Sequence[str]) -> tuple[int | None, list[int]]:
    """The one name ``key`` designates (index, []) or (None, the candidates' indexes).

    An exact name wins over names it merely begins, so « Vélo-école » stays reachable
    beside « Vélo-école du Nord »; otherwise the match must be unique.
    """
    ranked = _ranked(key, names)
    for exact in (_EXACT, _EXACT_BARE):
        at_tier = [i for tier, i in ranked if tier == exact]
        if len(at_tier) == 1:
            return at_tier[0], []
        if len(at_tier) > 1:
            return None, at_tier
    if len(ranked) == 1:
        return ranked[0][1], []
    return None, [i for _, i in ranked]


NEAR_ENOUGH = 0.8  # difflib's ratio: « escalle » for « Escale » is 0.92, « jardin » 0.92


def _nearest(typed: str, names: Sequence[str]) -> tuple[str, int] | None:
    """A mistyped name (« @escalle »): the one structure whose name, or a word of it, is
    nearest, as the token to type and its index; None when none is near or two are."""
    key = _compact(fold(typed).split())
    scored = []
    for index, name in enumerate(names):
        words = name.split()
        ratio, word = max(
            (SequenceMatcher(None, key, _compact(fold(w).split())).ratio(), w)
            for w in [name, *words]
        )
        scored.append((ratio, index, word))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < NEAR_ENOUGH:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    _, index, word = scored[0]
    token = mention_token(word)
    if _pick(_compact(fold(token).split()), names)[0] != index:
        token = mention_token(names[index])  # the word alone names another structure too
    return token, index


def _join(items: Iterable[str]) -> str:
    return _LIST_SEPARATOR.join(items)


def _token(name: str, *, letter_first: bool) -> str:
    """``name`` as one typeable token: runs of other characters become hyphens."""
    token = re.sub(r"[^\w'’]+", "-", name).replace("_", "-")
    token = re.sub(r"-{2,}", "-", token)
    start = r"[^\W\d_]" if letter_first else r"[^\W_]"
    head = re.search(start, token)
    if head is None:
        return ""
    token = token[head.start() :]
    return re.sub(r"[\W_]+$", "", token)


def mention_token(name: str) -> str:
    """How to type a structure's name after ``@`` so it reads back as that name.

    ``Les Jardins de Cocagne`` → ``Les-Jardins-de-Cocagne``: spaces would end the mention.
    """
    return _token(name, letter_first=False)


def tag_token(das: str) -> str:
    """How to type a DAS after ``#`` (a tag starts with a letter, so digits are skipped)."""
    return _token(das, letter_first=True)


# --- the draft -----------------------------------------------------------------------


@dataclass(frozen=True)
class CaptureDraft:
    """A parsed capture line: everything a :class:`~facilitator.domain.Note` needs from it.

    It is not the note itself: the caller adds the session, the author and the time,
    which the line cannot know. ``mentioned`` lists the ids of every structure named with
    ``@``, in order, so the feed can link them.
    """

    kind: NoteKind
    text: str
    structure_id: str | None
    lever: Lever | None
    das: str
    mentioned: tuple[str, ...] = ()

    def to_note(self, **fields: Any) -> Note:
        """The note, with the caller's other fields (``session_id``, ``author``...)."""
        values: dict[str, Any] = {
            "kind": self.kind,
            "text": self.text,
            "structure_id": self.structure_id,
            "lever": self.lever,
            "das": self.das,
        }
        values.update(fields)
        return Note(**values)


@dataclass(frozen=True)
class _Mention:
    structure: Structure
    start: int
    end: int  # after the words read as part of the name


def _resolve_mention(body: str, marker: _Marker, structures: Sequence[Structure]) -> _Mention:
    names = [s.name for s in structures]
    words = fold(marker.name).split()
    end = marker.end
    typed_end = marker.end
    extended = list(words)
    for _ in range(MAX_ABSORBED_WORDS):
        nxt = _NEXT_WORD_RE.match(body, typed_end)
        if nxt is None:
            break
        more = fold(nxt.group("word")).split()
        key = _compact(extended + more)
        if not more or not any(
            _tier(key, name) is not None and set(more) <= set(fold(name).split()) for name in names
        ):
            break
        extended += more
        typed_end = nxt.end()
        if extended[-1] not in SMALL_WORDS:
            words, end = list(extended), typed_end
    shown = body[marker.start + 1 : end]
    if not structures:
        raise InvalidInput("capture.error.no_structure", "text", mention=shown)
    index, candidates = _pick(_compact(words), names)
    if index is not None:
        return _Mention(structures[index], marker.start, end)
    if not candidates:
        near = _nearest(shown, names)
        if near is not None:
            raise InvalidInput(
                "capture.error.unknown_mention_near",
                "text",
                mention=shown,
                suggestion=near[0],
                name=names[near[1]],
            )
        raise InvalidInput(
            "capture.error.unknown_mention",
            "text",
            mention=shown,
            names=_join(sorted(names, key=fold)),
        )
    raise InvalidInput(
        "capture.error.ambiguous_mention",
        "text",
        mention=shown,
        candidates=_join(names[i] for i in candidates),
        example=mention_token(names[candidates[0]]),
    )


def _preferred_lever_tag(lever: Lever) -> str:
    """The lever's tag in the current language, as the catalogue spells it."""
    return t(f"capture.lever_tag.{lever.value}")


def _levers_shown() -> str:
    return _join(f"#{_preferred_lever_tag(lever)} ({label(lever)})" for lever in Lever)


def _das_scope(structure: Structure | None, structures: Sequence[Structure]) -> list[str]:
    """The DAS a tag may name: the note's structure's, else every structure's (deduplicated)."""
    pool = structure.das if structure is not None else [d for s in structures for d in s.das]
    seen: dict[str, str] = {}
    for das in pool:
        key = _compact(fold(das).split())
        if key and key not in seen:
            seen[key] = das
    return list(seen.values())


def _resolve_das(tag: str, scope: Sequence[str]) -> str:
    index, candidates = _pick(_compact(fold(tag).split()), scope)
    if index is not None:
        return scope[index]
    if candidates:
        raise InvalidInput(
            "capture.error.ambiguous_tag",
            "text",
            tag=tag,
            candidates=_join(scope[i] for i in candidates),
            example=tag_token(scope[candidates[0]]),
        )
    if scope:
        raise InvalidInput(
            "capture.error.unknown_tag",
            "text",
            tag=tag,
            levers=_levers_shown(),
            das=_join(f"#{tag_token(d)}" for d in scope),
        )
    raise InvalidInput("capture.error.unknown_tag_no_das", "text", tag=tag, levers=_levers_shown())


_SEPARATOR_RE = re.compile(r"[,;:–—]+\s*")


def _tidy(text: str, typed: str) -> str:
    """Collapse the spaces left by removed markers; no space before a comma or a full stop.

    A separator left at the start by a removed opening mention or tag goes too
    (``@jardins : le CA...`` → ``le CA...``), unless the facilitator typed it first.
    """
    tidy = re.sub(r"\s+(?=[,.](?!\.\.)|$)", "", " ".join(text.split())).strip()
    if _SEPARATOR_RE.match(tidy) and not _SEPARATOR_RE.match(typed.lstrip()):
        tidy = _SEPARATOR_RE.sub("", tidy, count=1)
    return tidy


def parse_capture(
    line: str,
    structures: Sequence[Structure],
    *,
    default_kind: NoteKind = NoteKind.FINDING,
    default_structure: str | None = None,
) -> CaptureDraft:
    """Read one capture line (syntax in the module docstring).

    ``structures`` are the cohort's; ``default_structure`` is the id of the structure the
    note belongs to when the line does not open with a mention (a bilan's structure).
    Raises :class:`~facilitator.domain.InvalidInput` with a ``capture.error.*`` key for
    anything it cannot accept, and nothing else.
    """
    kind, body = _split_kind(line, default_kind)
    markers = list(_markers(body))
    mentions: list[_Mention] = []
    consumed_to = 0
    for marker in markers:
        if marker.sigil == "@" and marker.start >= consumed_to:
            mention = _resolve_mention(body, marker, structures)
            mentions.append(mention)
            consumed_to = mention.end
    tags = [m for m in markers if m.sigil == "#"]

    removed: list[tuple[int, int]] = [(m.start, m.end) for m in tags]
    structure, opening = _structure_for(body, mentions, tags, structures, default_structure)
    if opening is not None:
        removed.append((opening.start, opening.end))

    lever: Lever | None = None
    lever_tag = ""
    das = ""
    das_tag = ""
    scope: list[str] | None = None
    for tag in tags:
        found = _LEVER_LOOKUP.get(_compact(fold(tag.name).split()))
        if found is not None:
            if lever is not None and found is not lever:
                raise InvalidInput(
                    "capture.error.two_levers", "text", first=lever_tag, second=tag.name
                )
            lever, lever_tag = found, lever_tag or tag.name
            continue
        if scope is None:
            scope = _das_scope(structure, structures)
        named = _resolve_das(tag.name, scope)
        if das and named != das:
            raise InvalidInput("capture.error.two_das", "text", first=das_tag, second=tag.name)
        das, das_tag = named, das_tag or tag.name

    text = _tidy(_cut(body, removed), body)
    if not text:
        raise InvalidInput("capture.error.empty", "text")
    return CaptureDraft(
        kind=kind,
        text=text,
        structure_id=structure.id if structure is not None else (default_structure or None),
        lever=lever,
        das=das,
        mentioned=tuple(dict.fromkeys(m.structure.id for m in mentions)),
    )


def _structure_for(
    body: str,
    mentions: Sequence[_Mention],
    tags: Sequence[_Marker],
    structures: Sequence[Structure],
    default_structure: str | None,
) -> tuple[Structure | None, _Mention | None]:
    """The note's structure, and the mention that opens the note if there is one.

    The first mention decides, except that with a default structure only an opening
    mention does: a bilan's note that names another structure mid-sentence stays the
    bilan's.
    """
    default = next((s for s in structures if s.id == default_structure), None)
    if not mentions:
        return default, None
    first = mentions[0]
    before = _cut(body[: first.start], [(m.start, m.end) for m in tags])
    if not before.strip():
        return first.structure, first
    if default_structure is None:
        return first.structure, None
    return default, None


def _cut(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with ``spans`` (positions in the body, which ``text`` starts) made spaces.

    Spaces, not nothing, so the words on each side of a removed tag never fuse.
    """
    out = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(out))):
            out[i] = " "
    return "".join(out)


# --- completion ----------------------------------------------------------------------


def complete_mention(fragment: str, structures: Sequence[Structure]) -> list[str]:
    """Names of the structures ``fragment`` (typed after ``@``) may mean, best first.

    Best is an exact name, then names it begins, then names with a later word it begins;
    alphabetical within each. An empty fragment offers every structure.
    """
    names = [s.name for s in structures]
    key = _compact(fold(fragment).split())
    if not key:
        return sorted(names, key=fold)
    return [names[i] for _, i in _ranked(key, names)]


def complete_tag(
    fragment: str,
    structures: Sequence[Structure],
    *,
    structure: Structure | None = None,
) -> list[str]:
    """Tags (without ``#``) that ``fragment`` may lead to: levers first, then DAS.

    One tag per lever, the current language's own first when it fits; DAS from
    ``structure`` when the line names one, else from every structure.
    """
    key = _compact(fold(fragment).split())
    out: list[str] = []
    for lever in Lever:
        spellings = [_preferred_lever_tag(lever)]
        spellings += [tag for tag, lv in LEVER_TAGS.items() if lv is lever]
        fits = [s for s in spellings if _compact(fold(s).split()).startswith(key)]
        if fits:
            out.append(fits[0])
    scope = _das_scope(structure, structures)
    ranked = range(len(scope)) if not key else (i for _, i in _ranked(key, scope))
    for i in ranked:
        token = tag_token(scope[i])
        if token and token not in out:
            out.append(token)
    return out


def _marker_before(line: str, cursor: int) -> int | None:
    """Where the ``@`` or ``#`` of the marker the cursor is in starts, if it is in one."""
    i = cursor
    while i > 0 and _TOKEN_CHARS_RE.fullmatch(line[i - 1]):
        i -= 1
    if i == 0 or line[i - 1] not in "@#":
        return None
    start = i - 1
    fragment = line[i:cursor]
    if fragment[:1] == "_" or (line[start] == "#" and fragment[:1].isdecimal()):
        return None
    before = line[start - 1] if start > 0 else " "
    if not re.fullmatch(r"\w", before) or _marker_before(line, start) is not None:
        return start
    return None


def completions(
    line: str,
    cursor: int,
    structures: Sequence[Structure],
    *,
    default_structure: str | None = None,
) -> tuple[int, int, list[str]]:
    """What may replace the ``@mention`` or ``#tag`` under the cursor.

    Returns ``(start, end, candidates)``: ``line[start:end]`` is the whole marker, sigil
    included, and each candidate is a full replacement (``@Les-Jardins-de-Cocagne``,
    ``#rh``) that :func:`parse_capture` reads back as that structure, lever or DAS. The
    fragment is what is typed between the sigil and the cursor. Outside a marker:
    ``(cursor, cursor, [])``. Never raises: the line is half typed.
    """
    cursor = max(0, min(cursor, len(line)))
    start = _marker_before(line, cursor)
    if start is None:
        return cursor, cursor, []
    end = cursor
    while end < len(line) and _TOKEN_CHARS_RE.fullmatch(line[end]):
        end += 1
    sigil, fragment = line[start], line[start + 1 : cursor]
    if sigil == "@":
        return start, end, [f"@{mention_token(n)}" for n in complete_mention(fragment, structures)]
    structure = _structure_of_line(line, structures, default_structure)
    tags = complete_tag(fragment, structures, structure=structure)
    return start, end, [f"#{tag}" for tag in tags]


def _structure_of_line(
    line: str, structures: Sequence[Structure], default_structure: str | None
) -> Structure | None:
    """The structure a half-typed line is about, for its DAS; None if it cannot tell."""
    _, body = _split_kind(line, NoteKind.FINDING)
    markers = list(_markers(body))
    mentions: list[_Mention] = []
    for marker in markers:
        if marker.sigil == "@":
            try:
                mentions.append(_resolve_mention(body, marker, structures))
            except InvalidInput:
                continue
    tags = [m for m in markers if m.sigil == "#"]
    return _structure_for(body, mentions, tags, structures, default_structure)[0]


# --- help ----------------------------------------------------------------------------


def syntax_help() -> list[str]:
    """The capture syntax in a few lines of the current language, for help screens."""
    lines = [t("capture.help.kinds")]
    for kind in NoteKind:
        prefixes = _join(f"{p}:" for p in prefixes_for(kind))
        if kind is NoteKind.QUESTION:
            prefixes = _join([QUESTION_MARK, prefixes])
        lines.append(t("capture.help.kind_line", kind=label(kind), prefixes=prefixes))
    lines.append(t("capture.help.mention"))
    lines.append(t("capture.help.tag", levers=_levers_shown()))
    lines.append(t("capture.help.text"))
    return lines
