"""The pixel work: decoding a photo, finding faces, placing and compositing (no file is written here)."""
