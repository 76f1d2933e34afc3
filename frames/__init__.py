"""The built-in frames, one folder each (installed as the package `framer.builtin_frames`)."""
