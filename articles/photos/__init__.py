"""Photos: upload checks, metadata stripping, renditions, the upload form and the ingest service."""
