"""framer: put a campaign avatar frame on portraits, with the face placed in the frame's window.

The pipeline, one module per stage (each pure: arrays and small dataclasses in and out):
    detect    find faces (OpenCV YuNet)            geometry  where the face goes (no pixels)
    compose   render the portrait, lay the frame   pipeline  one photo, start to finish
    images    decode / encode / atomic write       frames    frame folders and their metadata
    campaign  the campaign window and time zone    batch     many photos, output names, the loop
    report    per-photo records and the summary    cli       the Click command line
"""

__version__ = "0.1.0"
