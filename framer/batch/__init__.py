"""Framing a folder: planning the work, the worker pool, the journal, the report and the adjust file."""
