"""silver-ner: projected silver NER data (annotation projection for cross-lingual NER)."""

from projection.config import ProjectionConfig
from projection.evaluate import Scores, evaluate
from projection.io.conll import Corpus, read_conll, read_plain, read_sentences, write_conll
from projection.options import ModelSettings, default_config
from projection.plans import parallel_plan, project_corpus, translate_test_plan, translate_train_plan
from projection.runner import Run, RunStats, run
from projection.signature import Part, Signature
from projection.tags import bio_to_spans, repair_iob2, spans_to_bio
from projection.types import Alignment, Match, Pair, ProjectedSentence, ProjectionInput, Sentence, Span
from projection.version import __version__

__all__ = [
    "Alignment",
    "Corpus",
    "Match",
    "ProjectedSentence",
    "ProjectionConfig",
    "ProjectionInput",
    "ModelSettings",
    "Pair",
    "Part",
    "Run",
    "RunStats",
    "Signature",
    "Scores",
    "Sentence",
    "Span",
    "__version__",
    "bio_to_spans",
    "default_config",
    "evaluate",
    "parallel_plan",
    "project_corpus",
    "read_conll",
    "read_plain",
    "read_sentences",
    "repair_iob2",
    "run",
    "spans_to_bio",
    "translate_test_plan",
    "translate_train_plan",
    "write_conll",
]
