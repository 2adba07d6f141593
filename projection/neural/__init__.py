"""Neural pipeline: machine translation, English NER, neural word alignment, back-translation (lazy imports).

Entry points: ``projection.neural.run.translate_test`` / ``translate_train`` and the CLI subcommands
``silver-ner translate-test`` / ``translate-train``.
"""
