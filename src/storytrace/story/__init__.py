"""story: the analysis of one pile of articles. Grouping into stories, sentence alignment and the
meaning judges, lineage (derivations, revisions, the likely original), drift, quotations, the
consolidated dossier and text-reuse levels.

Imports ``text``, ``read`` and the base modules; never corpus, render or an adapter."""
