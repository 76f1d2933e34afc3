"""The review's groups, in the order a person looks at them (problems first): which one a photo of the
report is shown in, and the reasons on its card, in words. The static page (framer.review.sheet) and
the live one (framer.web.review_views) show the same."""

from __future__ import annotations

from dataclasses import dataclass

from ..batch.record import ERROR, NEEDS_A_LOOK, NO_FACE, NOT_OURS, OTHER_PHOTO, SKIPPED, Record
from ..i18n import N_, _
from ..reasons import WARNING_TEXT, Warn, warning_text


@dataclass(frozen=True)
class Group:
    key: str
    heading: str  # marked with N_: translated where it is shown
    hint: str  # likewise
    problem: bool


# The order of the page: what needs a human's eye first.
GROUPS = (
    Group("error", N_("Failed"), N_("Not framed. Fix or replace the photo and run framer again."), True),
    Group(
        Warn.NO_FACE,
        N_("No face found"),
        N_("Framed from the top centre of the photo: check each one, or replace the photo."),
        True,
    ),
    Group(
        Warn.SEVERAL_FACES,
        N_("Several faces"),
        N_(
            "Check it is the right person. To frame another face, put its number (shown on the picture, "
            "1 = the largest) in the face column of an adjust file and run framer apply again with "
            "--adjust FILE.csv."
        ),
        True,
    ),
    Group(
        Warn.LOW_RESOLUTION,
        N_("Face enlarged a lot"),
        N_("The face was enlarged a lot and may look soft: a larger photo would be better."),
        True,
    ),
    Group(
        "invented",
        N_("Window filled in beyond the photo"),
        N_(
            "A large part of the frame's window lies beyond the photo and was filled with its edges, "
            "mirrored and blurred. Open the output at full size: if the fill shows, a photo with more room "
            "around the face would be better, or zoom in (the zoom column of an adjust file)."
        ),
        True,
    ),
    Group(
        Warn.RENAMED,
        N_("Renamed"),
        N_("Another input has the same name: the output name keeps the original extension."),
        True,
    ),
    Group(
        "blocked",
        N_("Not framed: another file is in its place"),
        N_(
            "A file framer did not write, or one framed from another photo, is where the output would go. "
            "Choose another output folder, or add --overwrite to replace it."
        ),
        True,
    ),
    Group("ok", N_("Framed"), "", False),
    Group(
        "skipped",
        N_("Skipped — already done"),
        N_("The output was already there from an earlier run (--overwrite redoes it)."),
        False,
    ),
)
GROUP_KEYS = tuple(g.key for g in GROUPS)


def group_of(record: Record) -> str:
    """The key of the group a record is shown in (see GROUPS)."""
    if record.status == ERROR or record.error:
        return "error"
    if NOT_OURS in record.warnings or OTHER_PHOTO in record.warnings:
        return "blocked"
    # A photo skipped as up to date keeps the problems the run that framed it found: still to check.
    if record.status == NO_FACE or Warn.NO_FACE in record.warnings:
        return Warn.NO_FACE
    for code in (Warn.SEVERAL_FACES, Warn.LOW_RESOLUTION):
        if code in record.warnings:
            return code
    if record.largely_invented:
        return "invented"
    if Warn.RENAMED in record.warnings:
        return Warn.RENAMED
    return "skipped" if record.status == SKIPPED else "ok"


# Why a photo is in the "invented" group, on its card.
LARGELY_INVENTED = N_(
    "{percent} % of the frame's window lies beyond the photo's edges and was filled in: check it at full size"
)


def reasons_for(record: Record, group: str) -> list[str]:
    """The card's reasons, in words: what needs a look, the reason for its group first."""
    if record.error:
        return [record.reason() or record.error]
    if record.status == ERROR:
        return [_("failed (the report gives no reason)")]
    reasons = []
    if record.status == NO_FACE and Warn.NO_FACE not in record.warnings:
        reasons.append(warning_text(Warn.NO_FACE))
    # Like Record.problems(): notes such as 'edges filled' concern most photos and would drown the
    # problems, and 'up to date' is no problem at all; they stay in the report and in the card's
    # data-warnings. Unknown codes are shown as they are.
    shown = [(w, record.worded(w)) for w in record.warnings if w in NEEDS_A_LOOK or w not in WARNING_TEXT]
    if record.invented is not None and record.largely_invented:
        shown.append(("invented", _(LARGELY_INVENTED).format(percent=round(record.invented * 100))))
    reasons += [words for key, words in sorted(shown, key=lambda kw: kw[0] != group)]  # its group's first
    return reasons
