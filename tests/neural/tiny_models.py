"""Build tiny random-weight models (NLLB-architecture MT, XLM-R NER, BERT encoder) with tokenizers trained
locally on a few sentences, saved as ordinary Hugging Face model directories. No download is involved."""

from __future__ import annotations

import json
from pathlib import Path

#: labels as the CoNLL-03 XLM-R model emits them (IOB1-style: an entity may start with I-)
CONLL_LABELS = ("O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")

CORPUS = (
    "The European Union met in Brussels on Monday .",
    "Angela Merkel visited Paris and Berlin last week .",
    "Die Europäische Union traf sich am Montag in Brüssel .",
    "Nairobi ni mji mkuu wa Kenya na Uganda .",
    "Rais wa Tanzania alitembelea Nairobi jana .",
    "Le président français a visité Berlin .",
    "EU rejects German call to boycott British lamb .",
    "Peter Blackburn works for the United Nations in Geneva .",
    "[ Angela Merkel ] visited [ Paris ] .",
)


def _train(model, trainer, pre_tokenizer, corpus=CORPUS) -> dict:
    from tokenizers import Tokenizer

    tok = Tokenizer(model)
    tok.pre_tokenizer = pre_tokenizer
    tok.train_from_iterator(corpus, trainer)
    return json.loads(tok.to_str())["model"]


def nllb_tokenizer(corpus=CORPUS, *, vocab_size: int = 400, max_length: int = 64):
    """An NLLB tokenizer (BPE; every FAIRSEQ language code is a special token) trained on ``corpus``."""
    from tokenizers import models, pre_tokenizers, trainers
    from transformers import NllbTokenizer

    spec = _train(
        models.BPE(unk_token="<unk>"),
        trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
                            show_progress=False),
        pre_tokenizers.Metaspace(),
        corpus,
    )
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split()) for m in spec["merges"]]
    return NllbTokenizer(vocab=spec["vocab"], merges=merges, model_max_length=max_length)


def xlmr_tokenizer(corpus=CORPUS, *, vocab_size: int = 200):
    """An XLM-R tokenizer (Unigram) trained on ``corpus``."""
    from tokenizers import models, pre_tokenizers, trainers
    from transformers import XLMRobertaTokenizer

    spec = _train(
        models.Unigram(),
        trainers.UnigramTrainer(
            vocab_size=vocab_size, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"], unk_token="<unk>",
            show_progress=False,
        ),
        pre_tokenizers.Metaspace(),
        corpus,
    )
    return XLMRobertaTokenizer(vocab=[tuple(v) for v in spec["vocab"]], model_max_length=512)


def bert_tokenizer(corpus=CORPUS, *, vocab_size: int = 300):
    """A cased BERT tokenizer (WordPiece) trained on ``corpus``."""
    from tokenizers import models, pre_tokenizers, trainers
    from transformers import BertTokenizer

    spec = _train(
        models.WordPiece(unk_token="[UNK]"),
        trainers.WordPieceTrainer(
            vocab_size=vocab_size, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], show_progress=False
        ),
        pre_tokenizers.BertPreTokenizer(),
        corpus,
    )
    return BertTokenizer(vocab=spec["vocab"], do_lower_case=False, model_max_length=512)


def build_mt(path: Path, *, max_positions: int = 64) -> Path:
    """NLLB tokenizer (every FAIRSEQ language code is a special token) + M2M100 model, d_model 16, 1+1 layers."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    tok = nllb_tokenizer(max_length=max_positions)
    config = M2M100Config(
        vocab_size=len(tok), d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=max_positions,
        pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
    )
    torch.manual_seed(0)
    model = M2M100ForConditionalGeneration(config)
    path.mkdir(parents=True, exist_ok=True)
    tok.save_pretrained(path)
    model.save_pretrained(path)
    return path


def build_ner(path: Path, *, favour: str | None = None) -> Path:
    """XLM-R tokenizer (Unigram) + XLMRobertaForTokenClassification, hidden 16, 1 layer, CoNLL labels.

    ``favour``: a label whose classifier bias is raised so that the model predicts it for every word
    (a known answer for tests); None keeps the random weights.
    """
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaForTokenClassification

    tok = xlmr_tokenizer()
    config = XLMRobertaConfig(
        vocab_size=len(tok), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=40, pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id, num_labels=len(CONLL_LABELS),
        id2label=dict(enumerate(CONLL_LABELS)), label2id={l: i for i, l in enumerate(CONLL_LABELS)},
    )
    torch.manual_seed(0)
    model = XLMRobertaForTokenClassification(config)
    if favour is not None:
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.zero_()
            model.classifier.bias[CONLL_LABELS.index(favour)] = 5.0
    path.mkdir(parents=True, exist_ok=True)
    tok.save_pretrained(path)
    model.save_pretrained(path)
    return path


def build_encoder(path: Path, *, layers: int = 2, corpus=CORPUS, positions: int = 128,
                  vocab: Path | None = None) -> Path:
    """BERT tokenizer (WordPiece, cased, trained on ``corpus``) + BertModel, hidden 16, ``layers`` layers,
    ``positions`` position embeddings. ``vocab``: a WordPiece vocabulary file (a token a line, its id its line) used
    instead of training: training is not deterministic (ties in frequency are cut in another order in every process),
    and the model's weights, seeded, then meet other ids."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer

    if vocab is not None:
        ids = {token: k for k, token in enumerate(vocab.read_text(encoding="utf-8").splitlines())}
        tok = BertTokenizer(vocab=ids, do_lower_case=False, model_max_length=512)
    else:
        tok = bert_tokenizer(corpus)
    config = BertConfig(
        vocab_size=len(tok), hidden_size=16, num_hidden_layers=layers, num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=positions,
    )
    torch.manual_seed(0)
    model = BertModel(config)
    path.mkdir(parents=True, exist_ok=True)
    tok.save_pretrained(path)
    model.save_pretrained(path)
    return path


def build_position_tagger(path: Path) -> Path:
    """A tagger with a known, context-dependent answer: the first sub-word of its input is B-PER, every other
    sub-word I-PER. A window cut thus shows as a new B-PER where a window starts.

    Built from ``build_ner`` by hand-set weights: word and token-type embeddings 0, position embedding of the
    first sub-word (position 3: XLM-R counts from padding_idx + 1 and <s> takes 2) along axis 0, every other
    position along axis 1; each layer's attention-output and output projections 0, so every layer passes its
    input through (LayerNorm of an already normalised vector); the classifier reads axis 0 as B-PER and
    axis 1 as I-PER.
    """
    import torch
    from transformers import XLMRobertaForTokenClassification

    build_ner(path)
    model = XLMRobertaForTokenClassification.from_pretrained(path)
    emb = model.roberta.embeddings
    with torch.no_grad():
        emb.word_embeddings.weight.zero_()
        emb.token_type_embeddings.weight.zero_()
        emb.position_embeddings.weight.zero_()
        emb.position_embeddings.weight[:, 1] = 10.0
        emb.position_embeddings.weight[3, 1] = 0.0
        emb.position_embeddings.weight[3, 0] = 10.0
        for layer in model.roberta.encoder.layer:
            for dense in (layer.attention.output.dense, layer.output.dense):
                dense.weight.zero_()
                dense.bias.zero_()
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        model.classifier.weight[CONLL_LABELS.index("B-PER"), 0] = 1.0
        model.classifier.weight[CONLL_LABELS.index("I-PER"), 1] = 1.0
    model.save_pretrained(path)
    return path
