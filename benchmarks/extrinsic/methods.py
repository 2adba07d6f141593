"""The projection methods the extrinsic benchmark compares, by name: ``(bitext, cache) -> silver tags``."""

from __future__ import annotations

from functools import partial

from data import mafand_bitext, shared_data
from silver import default_run

from projection import ProjectionConfig
from projection.consistency import apply_lexicon, build_lexicon
from projection.refine import anchor_names, bridge_links, trim_edges
from projection.types import ProjectionInput


def _plain(config_kwargs, bitext, cache):
    return list(default_run(bitext, cache, ProjectionConfig(**config_kwargs)).tags)


def _refined(config_kwargs, steps, bitext, cache, extra=None):
    """The method of ``config_kwargs``, then each refinement step (sentence by sentence) in order; ``extra``:
    a function of the language giving more aligner training text."""
    run = default_run(bitext, cache, ProjectionConfig(**config_kwargs), extra(bitext.lang) if extra else ())
    out = []
    for src, tgt, al, proj in zip(bitext.english, bitext.target, run.alignments, run.projected):
        inp = ProjectionInput(src, tgt.tokens, al)
        for step in steps:
            proj = step(inp, proj)
        out.append(tuple(proj.tags(len(tgt.tokens))))
    return out


def _lexicon(config_kwargs, steps, lexicon_kwargs, apply_kwargs, bitext, cache):
    """``_refined``, then corpus consistency: a lexicon built from those projections fills and widens spans."""
    run = default_run(bitext, cache, ProjectionConfig(**config_kwargs))
    inputs = [ProjectionInput(s, t.tokens, a) for s, t, a in zip(bitext.english, bitext.target, run.alignments)]
    projected = []
    for inp, proj in zip(inputs, run.projected):
        for step in steps:
            proj = step(inp, proj)
        projected.append(proj)
    lexicon = build_lexicon(bitext.english, [t.tokens for t in bitext.target], projected, **lexicon_kwargs)
    out = []
    for inp, proj in zip(inputs, projected):
        proj = apply_lexicon(inp, proj, lexicon, **apply_kwargs)
        out.append(tuple(proj.tags(len(inp.target_tokens))))
    return out


#: the aligner options of each version's default, spelled out (not read from ``ProjectionConfig()``, whose defaults
#: move with the version: the silver sets are cached by method name)
_OPTIONS_V01 = (("runs", 2), ("stem", 4), ("symmetrize", "soft"))
_OPTIONS_V03 = (*_OPTIONS_V01, ("stem_from", "name"))
_OPTIONS_V04 = (*_OPTIONS_V03, ("name_prior", 10.0))

#: the method without refinement: ``default`` is the v0.1 default; the v0.2 default is ``default+anchor``
_PAPER = {"refine": (), "aligner_options": _OPTIONS_V01}
#: ``_PAPER`` with the aligner's stems counted from a name glued to a prefix (``laseAmsterdam`` -> ``amst``):
#: new alignments (cached under their own signature); with ``anchor.v1``, the v0.3 default
_CAPSTEM = {"refine": (), "aligner_options": _OPTIONS_V03}
#: ``_CAPSTEM`` with eflomal's ``name_prior`` (a name word favours the same word on the other side), at the value
#: chosen on the gold word alignments (``bench_name_prior.py``); with ``anchor.v1``, the v0.4 default
_NAMES = {"refine": (), "aligner_options": _OPTIONS_V04}
#: ``_NAMES`` with ``similar_names=0.5``: the prior also reaches target words similar to a name (letter-bigram Dice
#: >= 0.5), the value chosen on the gold word alignments (``bench_name_prior.py --similar``)
_SIMILAR = {"refine": (), "aligner_options": (*_OPTIONS_V04, ("similar_names", 0.5))}
#: ``_NAMES`` keeping a possible link only when 2 of the 4 directional alignments found it (``possible_votes=2``)
_VOTES2 = {"refine": (), "aligner_options": (*_OPTIONS_V04, ("possible_votes", 2))}
#: ``_SIMILAR`` comparing only target words that start upper case (``similar_cased``)
_SIMILAR_CASED = {"refine": (), "aligner_options": (*_SIMILAR["aligner_options"], ("similar_cased", True))}

METHODS = {
    "default": partial(_plain, _PAPER),
    "heuristic": partial(_plain, {**_PAPER, "matcher": "heuristic"}),
    "default+anchor": partial(_refined, _PAPER, [anchor_names]),
    "heuristic+anchor": partial(_refined, {**_PAPER, "matcher": "heuristic"}, [anchor_names]),
    "default+anchor+bridge": partial(_refined, _PAPER, [anchor_names, bridge_links]),
    "default+anchor+lexicon": partial(_lexicon, _PAPER, [anchor_names], {}, {}),
    "default+anchor+recover": partial(_lexicon, _PAPER, [anchor_names], {}, {"extend": False}),
    "default+anchor+extend": partial(_lexicon, _PAPER, [anchor_names], {}, {"recover": False}),
    "capstem": partial(_plain, _CAPSTEM),
    "capstem+anchor": partial(_refined, _CAPSTEM, [anchor_names]),
    "capstem+anchor+lexicon": partial(_lexicon, _CAPSTEM, [anchor_names], {}, {}),
    "capstem+anchor+names": partial(_refined, _NAMES, [anchor_names]),
    "capstem+anchor+names+similar": partial(_refined, _SIMILAR, [anchor_names]),
    # the 0.4.0 default, then trim.v1 (stray words cut from the spans' edges): the same alignments as +names
    "capstem+anchor+names+trim": partial(_refined, _NAMES, [anchor_names, trim_edges]),
    "capstem+anchor+names+similar-cased": partial(_refined, _SIMILAR_CASED, [anchor_names]),
    "capstem+anchor+names+votes2": partial(_refined, _VOTES2, [anchor_names]),
    # the 0.3.0 default with MAFAND-MT's English-target news text (CC BY-NC, not shippable) as extra aligner text
    "capstem+anchor+mafand": partial(_refined, _CAPSTEM, [anchor_names],
                                     extra=lambda lang: mafand_bitext(shared_data(), lang)),
}
