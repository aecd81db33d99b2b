"""The fast path is exact: stand-ins for spaCy components and PhraseMatcher give spaCy's own results,
and the on-disk cache of compiled knowledge is rebuilt whenever what it was built from changes.

Texts are written for these tests; the comparisons are against the stock components run in the same
process, so a stand-in that drifts from spaCy fails here whatever the model release."""
from __future__ import annotations

from pathlib import Path

import pytest

from gestae import actors, fastnlp, knowledge, nlp
from gestae.model import Article, Source

TEXTS = [
    "The foreign ministers of Peru and Norway met in Lima on Thursday.",
    "Talks between the Ostravan Liberation Front and the government of Kenya broke down.\n\nNo one "
    "said why.  The U.N. Security Council will meet again, said Ambassador Lin Meiqi of China.",
    "",
    "   ",
    "Nairobi",
    "she didn't think they'd go to Buenos Aires but they've gone and it's gonna rain in New York City",
    "President Hekla Stormsdottir of Iceland told reporters in Reykjavik that Brussels and Moscow "
    "should talk; the European Union's envoy, Dr. Maria del Carmen Ortiz, flew to Addis Ababa.",
    "word " * 400,   # no sentence punctuation: the sentence cap presets sentence starts
]


@pytest.fixture
def model():
    return nlp.load_model()   # per test: one test reloads the model


def _entities(doc) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label_) for e in doc.ents]


@pytest.mark.parametrize("batch_size", [1, 3, 16])
def test_stand_ins_annotate_as_the_stock_components(model, batch_size):
    stock = list(model.pipe(TEXTS, batch_size=batch_size))
    fast = fastnlp.fast_components(model)
    assert {"ner", "attribute_ruler", "lemmatizer"} <= set(fast), "the pinned model's components are supported"
    mine = [doc for start in range(0, len(TEXTS), batch_size)
            for doc in fastnlp.run_pipeline(model, TEXTS[start:start + batch_size], batch_size, fast)]
    assert [d.text for d in mine] == TEXTS
    for a, b in zip(stock, mine):
        assert fastnlp.same_annotations(a, b), a.text
        assert _entities(a) == _entities(b), a.text
        assert [t.lemma_ for t in a] == [t.lemma_ for t in b]


def test_parse_texts_gives_the_stock_parse_with_and_without_the_stand_ins(model, monkeypatch):
    fast_docs = nlp.parse_texts(TEXTS)
    assert nlp.fast_stages()
    monkeypatch.setenv("GESTAE_FAST_NLP", "0")
    assert nlp.fast_stages() == {}
    stock_docs = nlp.parse_texts(TEXTS)
    for a, b in zip(stock_docs, fast_docs):
        assert fastnlp.same_annotations(a, b) and _entities(a) == _entities(b)


def test_a_reloaded_model_gets_stand_ins_of_its_own(model):
    text = f"Officials said the {'a' * 300} plan was approved."   # a word new to the vocabulary
    nlp.load_model.cache_clear()
    try:
        reloaded = nlp.load_model()
        assert reloaded is not model
        (doc,) = nlp.parse_texts([text])
        assert fastnlp.same_annotations(doc, reloaded(text))
    finally:
        nlp.load_model.cache_clear()


def test_a_stand_in_that_differs_from_spacy_is_dropped_by_the_self_check(model, monkeypatch):
    real = fastnlp.fast_components

    def with_a_wrong_ner(nlp_):
        stages = real(nlp_)
        stages["ner"] = lambda docs, batch_size: [doc.set_ents([], default="outside") for doc in docs]
        return stages

    monkeypatch.setattr(fastnlp, "fast_components", with_a_wrong_ner)
    checked = fastnlp.checked_fast_components(model)
    assert "ner" not in checked and "attribute_ruler" in checked


PHRASES = ["New York", "New York City", "York", "Buenos Aires", "U.N. Security Council", "Security Council",
           "Lin Meiqi", "Maria del Carmen Ortiz", "Carmen", "Addis Ababa", "word word", "Dr."]


def test_phrase_index_reports_what_phrase_matcher_reports(model):
    from spacy.matcher import PhraseMatcher

    stock = PhraseMatcher(model.vocab, attr="ORTH")
    for phrase in PHRASES:
        stock.add(phrase, [model.make_doc(phrase)])
    index = nlp.phrase_matcher(PHRASES)
    assert isinstance(index, nlp.PhraseIndex)
    for text in TEXTS:
        doc = model.make_doc(text)
        assert sorted(index(doc)) == sorted(stock(doc)), text
    assert nlp.PhraseIndex([], [])(model.make_doc("")) == []


def test_phrases_with_the_same_tokens_fall_back_to_phrase_matcher(model):
    index = nlp.phrase_matcher(["New York", "York", "York "])   # 'York ' is the one token 'York'
    assert not isinstance(index, nlp.PhraseIndex)
    found = {(model.vocab.strings[k], s, e) for k, s, e in index(model.make_doc("in New York now"))}
    assert found == {("New York", 1, 3), ("York", 2, 3), ("York ", 2, 3)}


# --------------------------------------------------------------------------- the cache

@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("GESTAE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _counting_build(value):
    calls = []

    def build():
        calls.append(1)
        return value
    return build, calls


def test_cached_value_is_built_once_and_read_back(cache):
    build, calls = _counting_build({"a": [1, 2], "b": ("x", 2.5)})
    key = knowledge.fingerprint("tables")
    assert knowledge.cached("test", key, build) == {"a": [1, 2], "b": ("x", 2.5)}
    assert knowledge.cached("test", key, build) == {"a": [1, 2], "b": ("x", 2.5)}
    assert len(calls) == 1 and len(list(cache.glob("test-*.bin"))) == 1


def test_a_changed_file_gives_a_new_key(tmp_path):
    table = tmp_path / "t.tsv"
    table.write_text("name\nA\n", encoding="utf-8")
    before = knowledge.fingerprint(table, "v1")
    table.write_text("name\nB\n", encoding="utf-8")
    assert knowledge.fingerprint(table, "v1") != before
    table.unlink()
    assert knowledge.fingerprint(table, "v1") not in (before, knowledge.fingerprint(table, "v2"))
    # parts are length-prefixed: a boundary moved between parts is another key
    assert knowledge.fingerprint("ab", "c") != knowledge.fingerprint("a", "bc")


@pytest.mark.parametrize("damage", [b"", b"not a cache file at all", None])
def test_a_corrupt_cache_file_is_rebuilt_without_error(cache, damage):
    build, calls = _counting_build([1, 2, 3])
    key = knowledge.fingerprint("x")
    knowledge.cached("test", key, build)
    path = next(cache.glob("test-*.bin"))
    data = path.read_bytes()
    path.write_bytes(damage if damage is not None else data[:-3])   # None: truncated
    assert knowledge.cached("test", key, build) == [1, 2, 3]
    assert len(calls) == 2
    assert knowledge.cached("test", key, build) == [1, 2, 3] and len(calls) == 2   # rewritten whole


def test_an_unwritable_or_disabled_cache_only_costs_a_rebuild(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    build, calls = _counting_build("v")
    monkeypatch.setenv("GESTAE_CACHE", str(blocker / "cache"))
    assert knowledge.cached("test", "k", build) == "v" and knowledge.cached("test", "k", build) == "v"
    monkeypatch.setenv("GESTAE_CACHE", "")
    assert knowledge.cache_dir() is None
    assert knowledge.cached("test", "k", build) == "v"
    assert len(calls) == 3


def test_old_cache_files_are_pruned(cache):
    for n in range(knowledge.CACHE_KEEP + 3):
        knowledge.cached("test", f"key{n}", lambda: n)
    assert len(list(cache.glob("test-*.bin"))) == knowledge.CACHE_KEEP


def _actor_countries(text: str) -> dict[str, str]:
    article = Article(id="t", source=Source("<test>", "text"), text=text, published="2034-03-02")
    article.doc = nlp.load_model()(text)
    actors.annotate(article)
    return {a.name: a.country for a in article.actors}


def test_a_changed_kb_file_rebuilds_the_cached_actor_index(cache, tmp_path):
    kb = tmp_path / "people.tsv"
    header = "name\taliases\tcountry\tsector\trole\tstart\tend\n"
    text = "Ingrid Falkvarr met Tomasz Wielgorski in Oslo."
    kb.write_text(header + "Ingrid Falkvarr\tFalkvarr\tNOR\tGOV\tPresident\t2030-01-01\t\n", encoding="utf-8")
    knowledge.USER_FILES.add("persons", kb)
    try:
        actors.reset_knowledge()
        first = _actor_countries(text)
        kb.write_text(header + "Tomasz Wielgorski\tWielgorski\tPOL\tGOV\tPresident\t2030-01-01\t\n",
                      encoding="utf-8")
        actors.reset_knowledge()
        second = _actor_countries(text)
    finally:
        knowledge.USER_FILES.extra["persons"].remove(kb)
        actors.reset_knowledge()
    # the known person is of the file's country; the other is of none
    assert "NOR" in {c for n, c in first.items() if "Falkvarr" in n}
    assert "POL" not in {c for n, c in first.items() if "Wielgorski" in n}
    assert "POL" in {c for n, c in second.items() if "Wielgorski" in n}
    assert "NOR" not in {c for n, c in second.items() if "Falkvarr" in n}
    assert len(list(cache.glob("phrase_tokens-*.bin"))) == 2


def test_gazetteer_from_the_cache_equals_the_built_one(cache):
    from gestae.where import gazetteer

    gazetteer.load.cache_clear()
    try:
        built = gazetteer.load()          # empty cache: built and stored
        gazetteer.load.cache_clear()
        read = gazetteer.load()           # read back
        assert list(cache.glob("gazetteer-*.bin"))
        index, forced, venues, demonyms = gazetteer._build()
        assert read.demonyms == built.demonyms == demonyms
        for key in list(index)[::97] + list(forced):
            assert read.lookup_key(key) == built.lookup_key(key)
            if key not in forced:
                assert read.lookup_key(key) == index[key]
        assert read.venues == built.venues == venues and read.forced == built.forced
    finally:
        gazetteer.load.cache_clear()
