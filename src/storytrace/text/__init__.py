"""text: what storytrace knows about text, whatever the story. Sentence segmentation, spaCy access,
sentence embeddings, fact mentions (numbers, dates, names, quotations, verb states), word helpers,
edit helpers and MinHash fingerprints.

Imports the base modules and ``read`` only; never a story, corpus or render module."""
