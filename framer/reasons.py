"""Why a photo was not framed, and what to look at in one that was: stable codes, worded when shown.

A report keeps codes and the values they name (`"error": "too_large", "details": {"w": 30000, ...}`),
never words: a report made in English reads in Vietnamese on the review page, and scripts can rely on
the codes. Every reason is framer's own sentence in both languages; no library's or Python's text
reaches a person, except in the one error that asks to be reported as a bug.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Mapping
from enum import StrEnum

from .i18n import N_, _, integer, ngettext
from .i18n import worded as worded_code


class Status(StrEnum):
    """What became of a photo: a report's `status`."""

    OK = "ok"
    NO_FACE = "no_face"  # framed, from the top centre
    SKIPPED = "skipped"
    ERROR = "error"


class Warn(StrEnum):
    """What to know about a photo: a report's `warnings`, worded by WARNING_TEXT."""

    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"
    LOW_RESOLUTION = "low_resolution"
    EDGES_FILLED = "edges_filled"
    RENAMED = "renamed"
    ANIMATED = "animated"
    COLOUR_PROFILE_IGNORED = "colour_profile_ignored"
    UP_TO_DATE = "up_to_date"  # skipped: framed earlier from the same photo with the same settings
    OUTPUT_EXISTS = "output_exists"  # skipped: a file framer did not make is where the output would go
    MADE_FROM_OTHER_PHOTO = "made_from_other_photo"  # skipped: the output there was framed from another
    PREVIEW_KEPT = "preview_kept"  # framed, but a file framer did not make is where the preview would go
    REFRAMED = "reframed"  # framed again: the output framer made before from this photo was replaced
    OVERWRITTEN = "overwritten"  # --overwrite replaced a file framer did not make, or made from another


# How each warning code reads to a person. Codes stay as they are in the report.
WARNING_TEXT: dict[str, str] = {  # Warn members are str: either finds a word
    Warn.NO_FACE: N_("no face found: framed from the top centre of the photo, please check it"),
    Warn.SEVERAL_FACES: N_("several faces: the largest one was framed"),
    Warn.LOW_RESOLUTION: N_("the face is small in the photo: it was enlarged a lot and may look soft"),
    Warn.EDGES_FILLED: N_(
        "the photo was too tight around the face: its edges were extended with a soft blur"
    ),
    Warn.RENAMED: N_("another input has the same name: the output name keeps the original extension"),
    Warn.ANIMATED: N_("an animated picture: its first frame was used"),
    Warn.COLOUR_PROFILE_IGNORED: N_("its colour profile could not be read: colours may be slightly off"),
    Warn.UP_TO_DATE: N_("already framed with these settings"),
    Warn.OUTPUT_EXISTS: N_("a file is already where the output would go: use --overwrite to replace it"),
    Warn.MADE_FROM_OTHER_PHOTO: N_(
        "the output there was framed from another photo: use --overwrite to replace it, or another -o"
    ),
    Warn.PREVIEW_KEPT: N_(
        "a file framer did not make is where the preview would go: it was kept, no preview"
    ),
    Warn.REFRAMED: N_("framed again (the photo or the settings changed): the earlier output was replaced"),
    Warn.OVERWRITTEN: N_("a file that was already there was replaced (--overwrite)"),
}


def warning_text(code: str) -> str:
    """A warning code in words, in the user's language (an unknown code as it is)."""
    return worded_code(WARNING_TEXT, code)


# Why a photo was not framed. A function words a plural: it is given the value `found`.
ERRORS: dict[str, str | Callable[[int], str]] = {
    "not_an_image": N_("not an image (or a format framer does not read)"),
    "empty": N_("the file is empty (0 bytes)"),
    "not_regular": N_("not a regular file (a folder, a pipe or a device)"),
    "disappeared": N_("the file disappeared before it could be read"),
    "cannot_read": N_("cannot read the file ({reason})"),
    "truncated": N_("the file is incomplete: it was cut short, perhaps while it was copied"),
    "damaged": N_("the image data is damaged: it cannot be decoded"),
    "unsupported": N_("{kind} images are not supported"),
    "too_large": N_(
        "the image is {w} x {h} px ({mp} megapixels), more than the limit of {limit} megapixels "
        "(--max-megapixels)"
    ),
    "too_costly": N_(
        "the image would take {mb} MB of memory to decode, more than the {limit} MB framer allows for one "
        "photo: choose a smaller copy"
    ),
    "out_of_memory": N_(
        "decoding the image took more memory than framer allows for one photo: choose a smaller copy"
    ),
    "crashed": N_("this photo crashed the image decoder: the file is probably damaged"),
    "face_beyond": lambda found: ngettext(
        "face {n} was asked for, but only {found} face was found: 1 is the only choice",
        "face {n} was asked for, but only {found} faces were found: choose from 1 to {found}",
        found,
    ),
    "face_none": N_("face {n} was asked for, but no face was found in the photo"),
    "folder_unreadable": N_("cannot open this folder ({reason}); the photos in it were not framed"),
    "would_replace_input": N_("its output would replace an input photo: choose another output folder (-o)"),
    "outside_output": N_("a symbolic link in the output folder leads outside it: nothing was written there"),
    "output_appeared": N_("{path} already exists"),
    "write_failed": N_("cannot write the output: {reason}"),
    "write_stopped": N_("cannot write {path}: {reason}. Stopped; the photos framed so far are kept"),
    "unexpected": N_("unexpected error ({detail}); please report it"),
}

# What the system said, in framer's words (the `reason` of an error, kept as the errno's name).
OS_REASONS = {
    "EACCES": N_("permission denied"),
    "EPERM": N_("permission denied"),
    "ENOENT": N_("it does not exist"),
    "ENOTDIR": N_("a part of its path is not a folder"),
    "EISDIR": N_("it is a folder"),
    "ENOSPC": N_("the disk is full"),
    "EDQUOT": N_("the disk quota is used up"),
    "EROFS": N_("the disk is read-only"),
    "EIO": N_("the disk could not be read or written"),
    "ENAMETOOLONG": N_("the name is too long"),
    "ELOOP": N_("too many symbolic links"),
}


def os_reason(e: OSError) -> str:
    """The stable code of what the system said (an errno's name, such as EACCES), for a report."""
    return errno.errorcode.get(e.errno or 0, "") or type(e).__name__


def worded_os(e: OSError) -> str:
    """What the system said, in framer's words (the system's own text for a case framer does not know)."""
    code = os_reason(e)
    return _(OS_REASONS[code]) if code in OS_REASONS else (e.strerror or code)


def worded(code: str, details: Mapping[str, object] | None = None) -> str:
    """An error code in words, in the user's language, with its values; a code framer does not know
    (from a report of another version, or words from an old one) as it is."""
    if code not in ERRORS:
        return code
    from .i18n import display

    values = dict(details or {})
    if "path" in values:
        values["path"] = display(str(values["path"]))
    if "reason" in values:
        reason = str(values["reason"])
        values["reason"] = _(OS_REASONS[reason]) if reason in OS_REASONS else reason
    # whole numbers as people write them in the language: "60.000 x 60.000 px (3.600 megapixel)"
    said = {k: integer(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in values.items()}
    words = ERRORS[code]
    try:
        if callable(words):
            return words(int(str(values["found"]))).format(**said)
        return _(words).format(**said)
    except (KeyError, IndexError, ValueError, TypeError):  # a hand-edited report that lacks a value
        return code
