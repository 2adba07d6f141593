"""Dataset cards of the published silver splits (``cards.render``)."""

from cards.render import ConfigCard, merge_cards, records_from_card, render_card, split_front_matter

__all__ = ["ConfigCard", "merge_cards", "records_from_card", "render_card", "split_front_matter"]
