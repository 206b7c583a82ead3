"""Receivers for side effects of the workflow (cache purge); connected in ArticlesConfig.ready()."""
