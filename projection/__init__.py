"""silver-ner: projected silver NER data (annotation projection for cross-lingual NER)."""

from projection.config import ProjectionConfig
from projection.io.conll import Corpus, read_conll, read_plain, read_sentences, write_conll
from projection.evaluate import Scores, evaluate
from projection.pipeline import ProjectionRun, project_corpus
from projection.tags import bio_to_spans, repair_iob2, spans_to_bio
from projection.types import Alignment, Match, ProjectedSentence, ProjectionInput, Sentence, Span
from projection.version import __version__

__all__ = [
    "Alignment",
    "Corpus",
    "Match",
    "ProjectedSentence",
    "ProjectionConfig",
    "ProjectionInput",
    "ProjectionRun",
    "Scores",
    "Sentence",
    "Span",
    "__version__",
    "bio_to_spans",
    "evaluate",
    "project_corpus",
    "read_conll",
    "read_plain",
    "read_sentences",
    "repair_iob2",
    "spans_to_bio",
    "write_conll",
]
