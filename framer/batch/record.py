"""What happened to one photo: its Record (a line of the report), the codes it holds and their words.

Codes stay as they are in a report, in every language; they are worded when shown (framer.reasons for an
error's, WARNING_TEXT for a warning's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import N_, _, display
from ..reasons import Status, Warn, warning_text
from ..reasons import worded as worded_error

# The codes by the short names the batch uses (framer.reasons defines them, with their words).
OK, NO_FACE, SKIPPED, ERROR = Status.OK, Status.NO_FACE, Status.SKIPPED, Status.ERROR
UP_TO_DATE, NOT_OURS, OTHER_PHOTO = Warn.UP_TO_DATE, Warn.OUTPUT_EXISTS, Warn.MADE_FROM_OTHER_PHOTO
PREVIEW_KEPT, REFRAMED, OVERWRITTEN = Warn.PREVIEW_KEPT, Warn.REFRAMED, Warn.OVERWRITTEN

NEEDS_A_LOOK = (
    Warn.NO_FACE,
    Warn.SEVERAL_FACES,
    Warn.LOW_RESOLUTION,
    Warn.RENAMED,
    Warn.ANIMATED,
    Warn.COLOUR_PROFILE_IGNORED,
    Warn.MADE_FROM_OTHER_PHOTO,
    Warn.OUTPUT_EXISTS,
    Warn.PREVIEW_KEPT,
)

# The share of the frame's window filled beyond the photo's edges above which the review pages put a
# photo among those to check. edges_filled (above 2 %) is only a note, true of many photos; this much
# (23 % on one held-out photo) shows at full size.
INVENTED_TO_CHECK = 0.10


@dataclass
class Record:
    """One line of the JSON Lines report. Boxes are [x, y, w, h] in the upright input's pixels.

    `status`, `warnings` and `error` hold codes, worded when shown (framer.reasons), so that a report reads
    in any language; `details` holds the values an error's words name (a size, a limit, a reason).
    """

    input: str
    output: str | None  # this photo's framed file, when it has one
    status: str
    faces: int = 0
    face: list[int] | None = None
    crop: list[int] | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    campaign: dict[str, str] | None = None  # the frame's campaign: start, end (inclusive), timezone
    made_from: str | None = None  # skipped as made_from_other_photo: the photo that output was framed from
    details: dict[str, Any] | None = None  # the values the error's words name
    face_number: int | None = None  # which face was framed, 1 = the largest
    invented: float | None = None  # the share of the frame's window filled beyond the photo's edges
    face_boxes: list[list[int]] | None = None  # every face found, largest first (face N is the Nth)

    @property
    def redone(self) -> bool:
        """Whether this run framed the photo (not: skipped as up to date, failed)."""
        return self.status in (OK, NO_FACE)

    @property
    def largely_invented(self) -> bool:
        """Whether so much of the window was filled beyond the photo that a person should look at it."""
        return self.invented is not None and self.invented > INVENTED_TO_CHECK

    def reason(self) -> str | None:
        """Why the photo was not framed, in words; None when it was."""
        return worded_error(self.error, self.details) if self.error else None

    def problems(self) -> list[str]:
        """What a person should look at in this photo, in words ('edges filled' is only in the report)."""
        if self.error:
            return [worded_error(self.error, self.details)]
        return [self.worded(w) for w in self.warnings if w in NEEDS_A_LOOK]

    def alerts(self) -> list[str]:
        """What must be said about this photo at once, on its own line: it was not framed and someone
        must act (a failure; an output in its place framed from another photo). The rest is counted."""
        if self.error:
            return [worded_error(self.error, self.details)]
        return [self.worded(OTHER_PHOTO)] if OTHER_PHOTO in self.warnings else []

    def worded(self, code: str) -> str:
        """One of this record's warning codes in words, with what it names (the other photo, the face)."""
        path = display(str((self.details or {}).get("path") or self.output or ""))
        if code == OTHER_PHOTO and self.made_from:
            return _(
                "its output {output} was framed from another photo, {photo}: "
                "use --overwrite to replace it, or another output folder"
            ).format(output=path, photo=display(self.made_from))
        if code == NOT_OURS and path:
            return _(
                "{path} is already there and framer did not write it: use --overwrite to replace it"
            ).format(path=path)
        if code == "several_faces" and self.face_number and self.face_number > 1:
            return _("several faces: face {n} of {faces} was framed, as asked").format(
                n=self.face_number, faces=self.faces
            )
        return warning_text(code)

    def in_words(self) -> str:
        """The whole row in words, in the user's language (the CSV's last column): what happened, then
        what to look at, each said once. A warning whose words already tell what happened ("no face
        found: framed from the top centre") comes first, in place of the status's words ("framed, no
        face found")."""
        telling = [w for w in self.warnings if w in SAYS_WHAT_HAPPENED and self.status in (OK, NO_FACE)]
        if telling:
            said = [self.worded(w) for w in telling]
        else:
            said = [_(STATUS_TEXT[self.status]) if self.status in STATUS_TEXT else self.status]
        if self.error:
            said.append(worded_error(self.error, self.details))
        said += [self.worded(w) for w in self.warnings if w not in telling]
        return "; ".join(said)


STATUS_TEXT: dict[str, str] = {
    OK: N_("framed"),
    NO_FACE: N_("framed, no face found"),
    SKIPPED: N_("not framed again"),
    ERROR: N_("not framed"),
}
# The warnings of a framed photo whose words say that it was framed, and how: the CSV's row in words
# says them in place of STATUS_TEXT, so as not to say "framed" twice.
SAYS_WHAT_HAPPENED = ("no_face", "several_faces", "reframed")
