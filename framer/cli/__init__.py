"""The command line, a thin door onto framer's layers (Click)."""
