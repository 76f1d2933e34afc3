"""Frames: the model and its frame.toml, where frames are kept, their windows, cache, checks, drawing
and campaigns."""
