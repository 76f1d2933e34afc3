"""Frames: the model and its frame.toml, where frames are kept, their windows, cache, checks, drawing
and campaigns.

Inside, each module imports only those before it: campaign, window, cache; model (the Frame); metadata
(frame.toml); registry (frames by name); draw (a frame drawn); manage (the user's frames added, drawn,
removed); prepared, check, choice, remind.
"""
