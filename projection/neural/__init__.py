"""Neural pipeline: machine translation, English NER, neural word alignment, back-translation (lazy imports).

Entry points: ``projection.plans.translate_test_plan`` / ``translate_train_plan`` (run by
``projection.runner.run``) and the CLI subcommands
``silver-ner translate-test`` / ``translate-train``.
"""
