"""The runner's stages: sources (``read``), per-batch steps (translate, tag, back-translate, align, project)
and sinks (CoNLL, Pharaoh, evaluation; the datasets builder makes its rows from the checkpointed chunks, not
through a sink). Each is a small class with one method."""

from projection.stages.base import Sink, Source, Stage

__all__ = ["Sink", "Source", "Stage"]
