"""Revision history registration (django-reversion); imported in ArticlesConfig.ready()."""
