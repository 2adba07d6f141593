"""Every reader and writer: CoNLL and plain text, Pharaoh alignments, Hub and on-disk sources, package data."""
