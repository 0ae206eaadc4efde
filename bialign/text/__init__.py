"""From an item's text to its sentences: reading items, language blocks, page furniture,
sentences, and what the aligner reads in them (clauses, attribution sentences)."""
