"""``projection.plans`` helpers that need no model."""

from __future__ import annotations

from projection.options import ModelSettings
from projection.plans import _translations


def test_a_translations_file_with_a_byte_order_mark_reads_as_without_one(tmp_path):
    """Found in review: ``--translations`` kept a UTF-8 byte-order mark (Notepad, Excel exports) as part of the first
    translation; translate-train then failed at the very end ("token '\\ufeff' cannot be written to CoNLL") and
    translate-test tagged a stray English token. Every other reader drops it."""
    plain, marked = tmp_path / "plain.txt", tmp_path / "bom.txt"
    plain.write_bytes(b"Angela Merkel visited Paris .\nEU rejects German call\n")
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    lines, part = _translations(ModelSettings(translations_file=str(marked)), 2)
    assert lines == ["Angela Merkel visited Paris .", "EU rejects German call"]
    assert (lines, part) == _translations(ModelSettings(translations_file=str(plain)), 2)


# -- found in review (the public Python API) ---------------------------------------------------------------------

import hashlib  # noqa: E402

import pytest  # noqa: E402

from projection import Alignment, ProjectionConfig, Sentence, project_corpus  # noqa: E402
from projection.io.conll import read_conll  # noqa: E402
from projection.plans import parallel_plan  # noqa: E402

_SRC = Sentence(("Angela", "Merkel", "visited", "New", "York"), ("B-PER", "I-PER", "O", "B-LOC", "I-LOC"))
_TGT = ("Angela", "Merkel", "besuchte", "New", "York")
_LINKS = [Alignment.of([(i, i) for i in range(5)])]


def _spans_sha(text: str) -> str:
    """``content_hash`` of one chunk, written out: sha256 over its 8-byte little-endian length and its bytes."""
    data = text.encode()
    return hashlib.sha256(len(data).to_bytes(8, "little") + data).hexdigest()[:10]


def test_target_spans_given_as_iterators_are_signed_by_their_content():
    """Found in review: the pairs read each sentence's spans first, so an iterator reached the signature empty:
    the spans (0, 1) and (0, 2)/(3, 5) signed alike, as the hash of no spans."""
    config = ProjectionConfig(matcher="exact", candidates="ner.v1")
    for spans, text in (([(0, 2), (3, 5)], "0-2 3-5"), ([(0, 1)], "0-1")):
        as_list = project_corpus([_SRC], [_TGT], config, alignments=_LINKS, target_spans=[spans], progress=False)
        as_iter = project_corpus([_SRC], [_TGT], config, alignments=_LINKS, target_spans=[iter(spans)],
                                 progress=False)  # fmt: skip
        assert as_iter.signature == as_list.signature
        assert as_iter.signature["spans"].get("sha") == _spans_sha(text)
        assert as_iter.tags == as_list.tags


def test_a_corpus_read_from_conll_projects_as_its_sentences(tmp_path):
    """Found in review: ``Corpus`` had a length but no iteration, so ``project_corpus(read_conll(a), read_conll(b))``
    passed the length check and failed with "'Corpus' object is not iterable"."""
    src, tgt = tmp_path / "en.conll", tmp_path / "de.conll"
    src.write_text("".join(f"{w}\t{t}\n" for w, t in zip(_SRC.tokens, _SRC.tags)) + "\n", encoding="utf-8")
    tgt.write_text("".join(f"{w}\tO\n" for w in _TGT) + "\n", encoding="utf-8")
    run = project_corpus(read_conll(src), read_conll(tgt), ProjectionConfig(matcher="exact"), alignments=_LINKS,
                         progress=False)  # fmt: skip
    assert run.tags == (("B-PER", "I-PER", "O", "B-LOC", "I-LOC"),)
    corpus = read_conll(src)
    assert list(corpus) == [corpus[0]] == list(corpus.sentences)


@pytest.mark.parametrize(
    ("sources", "targets", "words"),
    [
        (_SRC, [_TGT], "sources must be a sequence (a list) with one Sentence per sentence pair, got a Sentence"),
        ([_SRC], "Angela Merkel", "targets must be a sequence (a list) with one Sentence or token tuple per sentence "
                                  "pair, got a str"),  # fmt: skip
        ((s for s in [_SRC]), [_TGT], "got a generator; wrap it in list(...)"),
    ],
)
def test_a_single_sentence_or_a_generator_is_refused_by_name(sources, targets, words):
    """Found in review: one Sentence was counted as 5 sentences (its tokens) and a str target as its characters
    ("5 source sentences but 1 target sentences"); a generator failed with "has no len()"."""
    with pytest.raises(TypeError) as err:
        project_corpus(sources, targets, ProjectionConfig(matcher="exact"), alignments=_LINKS, progress=False)
    assert words in str(err.value)


@pytest.mark.parametrize("config", [{"matcher": "exact"}, "exact"])
def test_a_config_that_is_not_a_projection_config_is_refused_by_name(config):
    """Found in review: a dict or a str failed with "'dict' object has no attribute 'candidates'"."""
    with pytest.raises(TypeError, match=f"config must be a ProjectionConfig .* got a {type(config).__name__}$"):
        parallel_plan([_SRC], [_TGT], config, alignments=_LINKS)


def test_links_held_in_lists_are_not_called_unsorted():
    """Found in review: ``Alignment([(0, 0), (1, 1)])`` (sorted, unique, in a list) was refused as links "not sorted,
    unique"; the error now says what is wrong."""
    listed = Alignment([(i, i) for i in range(5)])
    with pytest.raises(TypeError, match="alignment 0 holds its links in lists.*Alignment.of"):
        parallel_plan([_SRC], [_TGT], ProjectionConfig(matcher="exact"), alignments=[listed])
    unsorted = Alignment(((1, 1), (0, 0)))
    with pytest.raises(ValueError, match="not sorted, unique"):
        parallel_plan([_SRC], [_TGT], ProjectionConfig(matcher="exact"), alignments=[unsorted])


def test_an_extra_corpus_of_strings_is_refused_by_project_corpus():
    """Found in review: ``align_stage`` made each extra sentence a tuple first, so a sentence given as a string
    ("the dog sleeps") became its characters and the aligner trained on letters without a word."""
    src = [Sentence(("John", "went", "to", "Paris"), ("B-PER", "O", "O", "B-LOC"))]
    tgt = [["John", "ging", "nach", "Paris"]]
    config = ProjectionConfig(aligner="fastalign.v1")
    with pytest.raises(TypeError, match="extra corpus: pair 0 is a string; pass token lists"):
        project_corpus(src, tgt, config, extra=[("the dog sleeps", "der Hund schläft")], use_cache=False,
                       progress=False)


def test_translate_train_drops_misc_before_from_tags_in_a_numpy_array(tmp_path):
    """Found in review: with ``drop_misc="before"`` the English tags were tested for truth, and tags in a numpy array
    (a pandas or datasets column) failed with numpy's "truth value of an array ... is ambiguous" while the plan was
    made (tags in a list worked)."""
    import numpy as np

    from projection.plans import translate_train_plan

    (tmp_path / "tr.txt").write_text("Angela Merkel besuchte Paris\n", encoding="utf-8")
    models = ModelSettings(drop_misc="before", translations_file=str(tmp_path / "tr.txt"))
    english = [Sentence(("Merkel", "visited", "EU", "Paris"), np.array(["B-PER", "O", "B-MISC", "B-LOC"]))]
    plan = translate_train_plan(english, "de", ProjectionConfig(), models, use_cache=False, progress=False)
    (pair,) = plan.source.read()
    assert pair.source.tags == ("B-PER", "O", "O", "B-LOC")
    assert pair.target.tokens == ("Angela", "Merkel", "besuchte", "Paris")


@pytest.mark.parametrize("field, value", [("num_beams", 4), ("mt_lang_code", "deu_Latn")])
def test_mt_settings_with_a_translations_file_are_refused_as_the_cli_does(tmp_path, field, value):
    """Found in review: ``silver-ner translate-train --translations F --num-beams 4`` (or ``--mt-lang-code``) is refused,
    as no MT model runs; the plan functions took the same ``ModelSettings`` and ignored the setting."""
    from projection.plans import translate_test_plan, translate_train_plan

    (tmp_path / "tr.txt").write_text("Merkel besuchte Paris\n", encoding="utf-8")
    english = [Sentence(("Merkel", "visited", "Paris"), ("B-PER", "O", "B-LOC"))]
    models = ModelSettings(translations_file=str(tmp_path / "tr.txt"), **{field: value})
    for make in (translate_train_plan, translate_test_plan):
        with pytest.raises(ValueError) as info:
            make(english, "de", ProjectionConfig(), models, use_cache=False, progress=False)
        assert str(info.value) == (f"{field} would do nothing with translations_file, which replaces machine "
                                   "translation, and without back_translation: leave it out")  # fmt: skip


@pytest.mark.parametrize("mode", ["translate-train", "translate-test"])
def test_model_modes_refuse_label_ids_and_token_lists_at_the_call_naming_the_sentence(tmp_path, mode):
    """Found in review: the label ids of a datasets ``ClassLabel`` column (ints) were refused only by the projection
    stage, after the machine translation and the alignment of the whole split, as "<tags> token 0: ..." (no sentence
    named); a list of token lists failed with "'list' object has no attribute 'tags'" (or 'id')."""
    from projection.plans import translate_test_plan, translate_train_plan

    make = translate_train_plan if mode == "translate-train" else translate_test_plan
    side = "English" if mode == "translate-train" else "target"
    (tmp_path / "tr.txt").write_text("Angela Merkel besuchte Paris\nParis\n", encoding="utf-8")
    models = ModelSettings(translations_file=str(tmp_path / "tr.txt"))
    good = Sentence(("Merkel", "visited", "Paris"), ("B-PER", "O", "B-LOC"))
    with pytest.raises(ValueError) as info:
        make([good, Sentence(("Paris",), (5,))], "de", ProjectionConfig(), models, use_cache=False, progress=False)
    assert str(info.value) == (f"{side} sentence 1 token 0: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got 5 "
                               "(a int, not a str: map label ids to their names)")  # fmt: skip
    with pytest.raises(TypeError) as info:
        make([good, ["Paris"]], "de", ProjectionConfig(), models, use_cache=False, progress=False)
    assert str(info.value).startswith(f"{side} sentence 1 is a list, not a Sentence: build it with Sentence(tokens")


def test_translate_train_projects_tokens_in_a_numpy_array_as_tuples(tmp_path):
    """Found in review: English tokens in a numpy array (a ``Dataset.to_pandas()`` row) failed in the aligner with
    numpy's "truth value of an array ... is ambiguous", after the translation; ``parallel_pairs`` made them tuples."""
    import numpy as np

    from projection import run
    from projection.plans import translate_train_plan

    (tmp_path / "tr.txt").write_text("Merkel besuchte Paris\n", encoding="utf-8")
    models = ModelSettings(translations_file=str(tmp_path / "tr.txt"))
    config = ProjectionConfig(aligner="fastalign.v1")
    tokens, tags = ("Merkel", "visited", "Paris"), ("B-PER", "O", "B-LOC")
    results = []
    for sentence in (Sentence(tokens, tags), Sentence(np.array(tokens, dtype=object), np.array(tags))):
        plan = translate_train_plan([sentence], "de", config, models, use_cache=False, progress=False)
        (pair,) = plan.source.read()
        assert pair.source == Sentence(tokens, tags) and type(pair.source.tokens) is tuple
        results.append(run(plan.source, plan.stages, progress=False).tags)
    assert results[0] == results[1]


def test_the_readme_python_example_prints_what_the_readme_shows(capsys):
    """README, *Use it from Python*: the first block runs as written and prints the three values its comments show
    (the example is read from the README, so a change to either side is caught)."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "project_corpus(" in b)
    shown = [line.split("# ", 1)[1] for line in block.splitlines() if line.startswith("print(")]
    assert len(shown) == 3
    exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == shown
