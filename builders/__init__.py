"""The ``datasets`` builder of silver NER splits (``SilverNER``) and its configs.

``datasets`` 5 runs no loading scripts: code instantiates ``SilverNER`` (or calls ``build``) directly;
users ``load_dataset`` the Parquet files and card that ``push.py`` publishes.
"""

from typing import TYPE_CHECKING

from builders.families import FAMILIES, MASAKHANER2_LANGS, XTREME_LANGS, all_config_names, parse_config_name

if TYPE_CHECKING:  # what type checkers and IDEs see: __getattr__ imports these on first use (found in review: they
    # were Any to mypy and pyright)
    from builders.configs import SilverNERConfig as SilverNERConfig
    from builders.make import BuiltConfig as BuiltConfig
    from builders.make import build as build
    from builders.make import make_config as make_config
    from builders.silver_ner import SilverNER as SilverNER

__all__ = [
    "FAMILIES",
    "MASAKHANER2_LANGS",
    "XTREME_LANGS",
    "SilverNER",
    "SilverNERConfig",
    "BuiltConfig",
    "all_config_names",
    "build",
    "make_config",
    "parse_config_name",
]


def __getattr__(name: str):  # datasets is imported on first use only
    if name in ("SilverNER", "SilverNERConfig", "build", "make_config", "BuiltConfig"):
        from projection.extras import require_extra

        # the install line, not "No module named 'datasets'" (README: a missing extra is named with its pip line)
        require_extra("hub", purpose="building dataset configs")
    if name in ("SilverNER",):
        from builders.silver_ner import SilverNER

        return SilverNER
    if name == "SilverNERConfig":
        from builders.configs import SilverNERConfig

        return SilverNERConfig
    if name in ("build", "make_config", "BuiltConfig"):
        from builders import make as _build

        return getattr(_build, name)
    raise AttributeError(f"module 'builders' has no attribute {name!r}")
