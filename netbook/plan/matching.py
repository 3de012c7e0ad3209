"""Who could help with a need: a need's words against what people do, pure.

A connector knows that Omar, who "needs a web designer", should meet Mia, who "does web
design". This module decides that from plain data: words are folded, stop-words dropped
and the rest stemmed with the Snowball stemmer of the user's language ("designer" and
"design" are one stem; "investors" and "investing" share a long prefix, which counts a
little less). People are ranked by their *work*: what they do, their title, their tags
and their organisation, in that order of weight — never by what I could offer them.

Pure on purpose (standard library and snowballstemmer, no Qt, no SQL): the store reads
the candidates (`data/connector_queries.py`) and `plan/connector.py` puts them together.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

__all__ = [
    "FIELD_WEIGHTS",
    "Hit",
    "Need",
    "Term",
    "WorkGroup",
    "Worker",
    "best_needer",
    "best_worker",
    "group_work",
    "head_term",
    "like_prefixes",
    "rank",
    "rank_bounded",
    "rank_groups",
    "stemmer_language",
    "terms",
]

# ISO 639-1 → Snowball algorithm: the languages of the user's locale it has a stemmer for
_SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "nn": "norwegian",
    "no": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}

# Words that say nothing about a need or a line of work. English always (people write
# their notes in English in many locales), plus the locale's own where we have a list.
_STOP = {
    "en": """a about after again all also am an and any anybody anyone are around as at
        be been being but by can could did do does doing done for from get gets getting
        good great had has have he help helps helping her hers him his how i if in into is
        it its just like looking lot lots make may maybe me more most much must my need
        needed needing needs new not now of on one ones or other others our out over own
        people person please really she should so some somebody someone something soon
        still such support than that the their them then there these they thing things
        this those through to too very want wanted wants was way we well were what when
        where which while who whom why will with would year years yet you your intro
        intros introduction introductions advice contact contacts find finding seek
        seeking search searching next first""",
    "de": """der die das den dem des ein eine einen einem einer eines und oder aber für
        fur mit von zu zum zur im in ist sind sucht suche suchen braucht brauche brauchen
        benötigt jemand jemanden jemandem neue neuen neuer neues auf an bei nach über für
        wie was wer noch sehr mehr""",
    "fr": """le la les un une des du de d et ou pour avec dans sur au aux ce cette ces qui
        que quoi est sont cherche cherchent besoin quelqu quelqu'un nouveau nouvelle son
        sa ses leur leurs""",
    "es": """el la los las un una unos unas de del y o para con en por que quien es son
        busca buscan buscando necesita necesitan alguien nuevo nueva su sus""",
    "it": """il lo la i gli le un uno una di del della e o per con in su che chi è sono
        cerca cercano serve servono qualcuno nuovo nuova suo sua""",
    "nl": """de het een en of voor met van in op aan die dat wie is zijn zoekt zoeken
        nodig iemand nieuwe nieuw zijn haar""",
    "pt": """o a os as um uma de do da e ou para com em por que quem é são procura
        procuram precisa precisam alguém novo nova seu sua""",
}
_WORD = re.compile(r"[^\W_]+")
MIN_PREFIX = 5  # two stems this long where one begins the other: "invest", "investor"
PREFIX_CREDIT = 0.7  # a shared prefix counts less than the same stem

# what a field says about someone's work, and how much a match in it counts
FIELD_WEIGHTS = {"does": 3.0, "title": 2.0, "tags": 1.5, "organization": 1.0}


@dataclass(frozen=True)
class Term:
    stem: str
    word: str  # as written (folded), for saying what matched


class Worker(NamedTuple):
    """Someone's work as the store knows it (never their needs, never my offers); a
    tuple, as thousands are made for one question."""

    id: int
    name: str
    organization: str = ""
    title: str = ""
    does: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Need:
    """A need, and who has it (the store groups people needing the very same)."""

    needs: str
    ids: tuple[int, ...]

    @property
    def id(self) -> int:
        return self.ids[0]


@dataclass(frozen=True)
class Hit:
    """One person who could help, and why: `matched` names the fields and their text."""

    contact_id: int
    name: str
    organization: str
    score: float
    covered: int  # how many of the need's words their work answers
    matched: tuple[tuple[str, str], ...]  # (field, its text) in weight order
    head: bool = False  # the word naming what is needed matched (or there is none)

    @property
    def matched_text(self) -> str:
        """'does web design, is tagged design' (after their name)."""
        return ", ".join(_field_phrase(f, t) for f, t in self.matched)

    @property
    def by_work(self) -> bool:
        """Something besides the organisation's name matched: reason enough to introduce
        (a studio called "Nordlys Design" says nothing about what its accountant does)."""
        return any(f != "organization" for f, _ in self.matched)

    @property
    def work_text(self) -> str:
        """'web design, tagged design', 'Investor at Fjord Capital': what they do, as it
        reads in brackets after their name (the week's introductions)."""
        return ", ".join(_work_phrase(f, t) for f, t in self.matched)


def _field_phrase(field: str, text: str) -> str:
    text = _short(text)
    return {"does": f"does {text}", "title": f"works as {text}", "tags": f"is tagged {text}",
            "organization": f"works at {text}"}.get(field, text)


def _work_phrase(field: str, text: str) -> str:
    text = _short(text)
    return {"tags": f"tagged {text}", "organization": f"at {text}"}.get(field, text)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:.-") + "…"


def stemmer_language(language: str) -> str:
    """The Snowball algorithm for an ISO 639-1 code ('de' → 'german'); English when
    Snowball has none for it."""
    return _SNOWBALL.get((language or "en").lower()[:2], "english")


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(stemmer_language(language))


@lru_cache(maxsize=8)
def _stop_words(language: str) -> frozenset[str]:
    code = (language or "en").lower()[:2]
    words = set(_STOP["en"].split()) | set(_STOP.get(code, "").split())
    return frozenset(_fold(w) for w in words)


def _fold(word: str) -> str:
    """Case folded, accents kept (the stemmers know 'ä'); compatibility forms unified."""
    return unicodedata.normalize("NFKC", word).casefold()


@lru_cache(maxsize=65536)
def _stem(word: str, language: str) -> str:
    return str(_stemmer(language).stemWord(word))


def terms(text: str, language: str = "en") -> tuple[Term, ...]:
    """A text's meaningful words, each once, as stems: 'a web designer for the brand' →
    web, design, brand."""
    stop = _stop_words(language)
    seen: dict[str, Term] = {}
    for raw in _WORD.findall(_fold(text)):
        if len(raw) < 2 or raw.isdigit() or raw in stop:
            continue
        stem = _stem(raw, language)
        if stem and stem not in stop:
            seen.setdefault(stem, Term(stem, raw))
    return tuple(seen.values())


# English phrases a need is said in: "investors for the seed round", "an intro to a good
# product designer" — the thing needed is the last word before the first of these
_PHRASE_BREAK = frozenset({"for", "to", "with", "who", "whom", "that", "which", "in", "on", "at",
                           "of", "from", "about", "by", "into", "like", "so", "and", "or",
                           "because"})


def head_term(text: str, language: str = "en") -> Term | None:
    """The word naming what is needed — 'designer' in 'a designer for the new brand',
    'designer' in 'an intro to a good product designer' — in English; None elsewhere (every
    word then counts alike)."""
    if (language or "en").lower()[:2] != "en":
        return None
    stop = _stop_words(language)
    phrase: list[str] = []
    for raw in [*_WORD.findall(_fold(text)), "for"]:
        if raw in _PHRASE_BREAK:
            content = [w for w in phrase if w not in stop and len(w) >= 2 and not w.isdigit()]
            if content:
                return Term(_stem(content[-1], language), content[-1])
            phrase = []
        else:
            phrase.append(raw)
    return None


def like_prefixes(found: Iterable[Term]) -> list[str]:
    """What a text column must contain for a word form of these terms to be in it: the
    store's cheap first sieve (SQL LIKE) before the stems decide."""
    return sorted({t.stem[:MIN_PREFIX - 1] if len(t.stem) >= MIN_PREFIX else t.stem
                   for t in found})


def _credit(stem: str, stems: frozenset[str]) -> float:
    if stem in stems:
        return 1.0
    if len(stem) >= MIN_PREFIX:
        for other in stems:
            if len(other) >= MIN_PREFIX and (other.startswith(stem) or stem.startswith(other)):
                return PREFIX_CREDIT
    return 0.0


def _field_texts(w: Worker) -> list[tuple[str, str, str]]:
    """(field, its text, the text it is matched on). What they do or their title with
    the organisation's name taken out: "Creative director at Nordlys Design" is a match
    on the organisation for "designers", worded and weighted as one."""
    return [("does", w.does, _without(w.does, w.organization)),
            ("title", w.title, _without(w.title, w.organization)),
            ("tags", ", ".join(w.tags), ", ".join(w.tags)),
            ("organization", w.organization, w.organization)]


@lru_cache(maxsize=65536)
def _without(text: str, name: str) -> str:
    name = " ".join(name.split())
    if len(name) < 2 or not text:
        return text
    return re.sub(re.escape(name).replace(r"\ ", r"\s+"), " ", text, flags=re.IGNORECASE)


@lru_cache(maxsize=65536)
def _stems(text: str, language: str) -> frozenset[str]:
    """A field's stems, remembered: the same titles and tags come back person after
    person, question after question."""
    return frozenset(t.stem for t in terms(text, language))


def _score(need: Sequence[Term], w: Worker, language: str,
           head: Term | None = None) -> Hit | None:
    sieve = {t.stem[:MIN_PREFIX - 1] for t in need}
    fields = []
    for f, text, words in _field_texts(w):
        folded = words.casefold()
        # a field holding none of the need's first letters can't match: not stemmed
        if words and any(p in folded for p in sieve):
            fields.append((f, text, _stems(words, language)))
    total = 0.0
    covered = 0
    head_hit = head is None
    used: dict[str, str] = {}
    for term in need:
        best = 0.0
        best_field = None
        for f, text, stems in fields:
            got = _credit(term.stem, stems) * FIELD_WEIGHTS[f]
            if got > best:
                best, best_field = got, (f, text)
        if best_field is not None:
            covered += 1
            is_head = head is not None and term.stem == head.stem
            head_hit = head_hit or is_head
            total += best * (2 if is_head else 1)
            used.setdefault(best_field[0], best_field[1])
            if best_field[0] == "tags":  # say the tag that matched, not all of them
                used["tags"] = ", ".join(t for t in w.tags
                                         if _credit(term.stem, _stems(t, language)))
    if not covered:
        return None
    matched = tuple((f, used[f]) for f in FIELD_WEIGHTS if f in used)
    return Hit(w.id, w.name, w.organization, round(total, 3), covered, matched, head_hit)


WorkKey = tuple[str, str, str, tuple[str, ...]]


class WorkGroup(NamedTuple):
    """Everyone who says the same about their work, by id (the store groups them)."""

    does: str
    title: str
    organization: str
    tags: tuple[str, ...]
    ids: tuple[int, ...]  # in order


def rank_groups(need: Sequence[Term], groups: Iterable[WorkGroup], language: str = "en",
                limit: int = 20, exclude: Iterable[int] = (),
                head_of: Term | None = None) -> list[Hit]:
    """`rank` for a large book: each wording scored once, ties broken by contact id, and
    only the best `limit` people come back — with no name yet (`Hit.name` is '': the
    caller reads the few names it shows)."""
    if not need or limit <= 0:
        return []
    skip = set(exclude)
    scored = []
    for g in groups:
        found = _score(need, Worker(0, "", g.organization, g.title, g.does, g.tags),
                       language, head_of)
        if found is not None:
            scored.append((found, g))
    scored.sort(key=lambda fg: (-fg[0].covered, -fg[0].score))
    hits: list[Hit] = []
    level: tuple[int, float] | None = None
    tied: list[tuple[Hit, WorkGroup]] = []

    def flush() -> None:
        # the lowest ids of the tied wordings, without listing all their people
        members = heapq.merge(*(_numbered(g.ids, n) for n, (_, g) in enumerate(tied)))
        for cid, n in members:
            if len(hits) >= limit:
                break
            if cid in skip:
                continue
            found, g = tied[n]
            hits.append(Hit(cid, "", g.organization, found.score, found.covered,
                            found.matched, found.head))
        tied.clear()

    for found, g in scored:
        here = (found.covered, found.score)
        if here != level:
            flush()
            if len(hits) >= limit:
                break
            level = here
        tied.append((found, g))
    flush()
    return hits


def rank_bounded(need: Sequence[Term],
                 candidates: Sequence[tuple[WorkGroup, int, float]], language: str = "en",
                 limit: int = 20, exclude: Iterable[int] = (),
                 head_of: Term | None = None) -> tuple[list[Hit], bool]:
    """The best `limit` of the store's candidates, which come with an upper bound (words
    found, score) and best bound first; equal matches keep the candidates' order (bound,
    then id: the same book ranks the same). Also whether the list is settled: nobody
    after the last candidate (bounds no higher, so later in the order) could enter it."""
    skip = set(exclude)
    scored: list[tuple[int, float, int, Hit, WorkGroup]] = []
    memo: dict[WorkKey, Hit | None] = {}
    for position, (g, _, _) in enumerate(candidates):
        key = (g.does, g.title, g.organization, g.tags)
        if key not in memo:
            memo[key] = _score(need, Worker(0, "", g.organization, g.title, g.does, g.tags),
                               language, head_of)
        found = memo[key]
        if found is not None and not skip.intersection(g.ids):
            scored.append((-found.covered, -found.score, position, found, g))
    scored.sort(key=lambda t: t[:3])
    hits = [Hit(cid, "", g.organization, found.score, found.covered, found.matched,
                found.head)
            for _, _, _, found, g in scored for cid in g.ids if cid not in skip][:limit]
    if not candidates:
        return hits, True
    _, words, score = candidates[-1]
    if len(hits) < limit:
        return hits, False
    return hits, (hits[-1].covered, hits[-1].score) >= (words, score)


def _numbered(ids: Sequence[int], n: int) -> Iterator[tuple[int, int]]:
    for cid in ids:
        yield cid, n


def group_work(workers: Iterable[Worker]) -> dict[WorkKey, list[Worker]]:
    """People by what they say about their work: everyone saying the same scores the same,
    so each wording is scored once (`rank` takes these groups as well as people)."""
    groups: dict[WorkKey, list[Worker]] = {}
    for w in workers:
        groups.setdefault((w.does, w.title, w.organization, w.tags), []).append(w)
    return groups


def rank(need: Sequence[Term], workers: Iterable[Worker] | dict[WorkKey, list[Worker]],
         language: str = "en", limit: int | None = 20, exclude: Iterable[int] = (),
         head_of: Term | None = None) -> list[Hit]:
    """The people whose work answers most of the need, best first: more of its words
    answered, then a higher score (what they do counts most, their organisation least;
    the word naming what is needed, `head_of`, twice), then the name and id, so the same
    book always ranks the same."""
    if not need:
        return []
    skip = set(exclude)
    groups = workers if isinstance(workers, dict) else group_work(workers)
    scored = [(found, members) for members in groups.values()
              for found in [_score(need, members[0], language, head_of)] if found is not None]
    scored.sort(key=lambda fm: (-fm[0].covered, -fm[0].score))
    hits: list[Hit] = []
    level: tuple[int, float] | None = None
    for found, members in scored:
        here = (found.covered, found.score)
        if limit is not None and len(hits) >= limit and here != level:
            break  # everyone better is in; a worse wording can't make the cut
        level = here
        hits += [Hit(w.id, w.name, w.organization, found.score, found.covered, found.matched,
                     found.head) for w in members if w.id not in skip]
    hits.sort(key=_rank_key)
    return hits if limit is None else hits[:limit]


def _rank_key(h: Hit) -> tuple[int, float, str, int]:
    return (-h.covered, -h.score, h.name.casefold(), h.contact_id)


def best_worker(needs: str, workers: Iterable[Worker], language: str = "en",
                exclude: Iterable[int] = ()) -> Hit | None:
    """The one person whose work best answers `needs` (None: nobody's does)."""
    found = rank(terms(needs, language), workers, language, limit=1, exclude=exclude,
                 head_of=head_term(needs, language))
    return found[0] if found else None


def best_needer(worker: Worker, needers: Iterable[Need], language: str = "en",
                exclude: Iterable[int] = (), min_score: float = 0.0,
                need_head: bool = False) -> tuple[Need, Hit] | None:
    """Whose need this person's work answers best (None: nobody's, or no match scoring
    `min_score` and, with `need_head`, answering the word naming the need by their work,
    not their organisation's name alone); of the `Need.ids` needing just that, the
    lowest id."""
    skip = set(exclude) | {worker.id}
    best: tuple[tuple, Need, Hit] | None = None
    for need in needers:
        hit = _score(terms(need.needs, language), worker, language,
                     head_term(need.needs, language))
        if hit is None or hit.score < min_score or (need_head and not (hit.head
                                                                        and hit.by_work)):
            continue
        who = next((cid for cid in need.ids if cid not in skip), None)
        if who is None:
            continue
        key = (-hit.covered, -hit.score, who)
        if best is None or key < best[0]:
            best = (key, Need(need.needs, (who,)), hit)
    return None if best is None else (best[1], best[2])
