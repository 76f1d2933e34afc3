"""Every word the page shows, and the web layer's own error messages: framer's catalog, like the CLI's.

The page has no words of its own: it reads these from site.json (framer.web.site), in each language,
and shows them by key. Messages about a photo (why it cannot be framed, its warnings) and about the
campaign are framer's own, worded by framer.reasons, framer.report and framer.campaign.
"""

from __future__ import annotations

from ..i18n import N_, _

# The page's words, by the key the page uses. Placeholders in braces are filled in by the page
# ({n}: a face's number, {count}: how many faces, {seconds}: till it tries again) or here ({minutes},
# {mb}).
PAGE = {
    "title": N_("Frame your profile picture"),
    "intro": N_(
        "Choose a portrait: framer finds your face and places it in the frame. Move or zoom it if you "
        "like, then download the picture and set it as your profile picture."
    ),
    "choose": N_("Choose a photo"),
    "choose_another": N_("Choose another photo"),
    "drop": N_("or drop a photo here"),
    "working": N_("Framing your photo…"),
    "download": N_("Download the picture"),
    "zoom": N_("Zoom"),
    "zoom_in": N_("Zoom in"),
    "zoom_out": N_("Zoom out"),
    "reset": N_("Reset"),
    "move_hint": N_("Drag the photo to move it; pinch, scroll or use the slider to zoom."),
    "keys_hint": N_("With the keyboard: arrow keys move the photo, + and - zoom."),
    "faces": N_("There are {count} people in this photo. Which one is you?"),
    "face": N_("Face {n}"),
    "frame": N_("Frame"),
    "preview": N_("Your framed picture"),
    "round": N_("As Facebook and Zalo show it"),
    "language": N_("Language"),
    "privacy": N_(
        "Your photo never leaves this device: it is framed here, in your browser. Nothing is uploaded "
        "and nothing is kept."
    ),
    "formats": N_("JPEG, PNG, WebP and the photos of your phone's camera."),
    "offline": N_("The server could not be reached: check your connection and try again."),
    "unreadable": N_(
        "This file could not be opened as a picture: it may be damaged, or in a format this browser "
        "cannot read. Choose another photo."
    ),
    "share": N_("Share"),
    "saved_hint": N_(
        "Press and hold the picture, then choose Save image: this app's browser cannot download files."
    ),
    "open_in_browser": N_(
        "Or open this page in your phone's browser (the ⋯ menu, Open in browser) to download it."
    ),
    "close": N_("Close"),
}

# Each language is named in itself, whatever the page's language: the way back to one's own.
LANGUAGE_NAMES = {"lang_vi": "Tiếng Việt", "lang_en": "English"}

# Why a request was refused, by its stable code (the JSON error's "code"); photos' own reasons are
# framer.reasons'.
ERRORS = {
    "too_large_upload": N_("The photo is larger than {mb} MB: choose a smaller one."),
    "busy": N_("The server is busy… please try again in a few seconds."),
    "expired": N_("This photo is no longer on the server (it is kept {minutes} minutes): choose it again."),
    "not_a_form": N_("The upload is not a form with a photo in it (multipart/form-data)."),
    "no_photo": N_("No photo was sent: choose a photo."),
    "slow_upload": N_("The upload took too long: check your connection and try again."),
    "unknown_frame": N_("There is no frame named {name} on this page."),
    "bad_number": N_("{name} must be a number from {low} to {high}."),
    "bad_face": N_("face must be a whole number from 1."),
    "bad_format": N_("format must be jpg, png or webp."),
    "not_found": N_("There is nothing at this address."),
    "bad_token": N_(
        "This page needs its key: open the address framer review printed, with its ?token=… part."
    ),
    "too_large_body": N_("The request is too large."),
    "other_site": N_(
        "This request comes from another site's page: only framer's own page, or a script, may send it."
    ),
    "bad_host": N_("This server answers only the addresses it was started on."),
    "bad_json": N_("The request must be a JSON object."),
    "bad_value": N_("{name} must be a number."),
    "bad_flag": N_("{name} must be true or false."),
    "unknown_file": N_("There is no such photo in this report."),
    "not_editable": N_(
        "This photo cannot be framed again here: it has no output (it failed, or another file is in its "
        "place)."
    ),
    "method_not_allowed": N_("This address does not take that kind of request."),
}

# The page's words about the campaign where framer's campaign sentences give command-line advice (after
# its end, framer apply says to add --ignore-window: a person on the page cannot).
CAMPAIGN_ENDED = N_(
    "The {frame} campaign ran {span} and has ended: this page no longer frames photos with it."
)
CAMPAIGN_ENDED_ANYWAY = N_(
    "The {frame} campaign ran {span} and has ended; this page frames photos all the same."
)


def page(minutes: int, mb: int) -> dict[str, str]:
    """The page's words in the language in use, with the server's limits filled in."""
    words = {
        key: _(text).replace("{minutes}", str(minutes)).replace("{mb}", str(mb)) for key, text in PAGE.items()
    }
    return words | LANGUAGE_NAMES


# Reasons whose command-line words name an option a person on the page cannot use.
PHOTO_REASONS = {
    "too_large": N_(
        "the image is {w} x {h} px ({mp} megapixels), more than the {limit} megapixels this page takes: "
        "choose a smaller copy of the photo"
    ),
}


def photo_error(code: str, details: dict[str, object], said: str) -> str:
    """Why a photo was not framed, for the page: framer's reason (`said`), or its page wording."""
    return _(PHOTO_REASONS[code]).format(**details) if code in PHOTO_REASONS else said


def error(code: str, **values: object) -> str:
    """A refusal's words in the language in use."""
    return _(ERRORS[code]).format(**values)


# The review page's own words (framer review --serve), beside the editor's words in PAGE.
REVIEW = {
    "review_title": N_("Review the framed photos"),
    "review_intro": N_(
        "The photos that need a look come first. Open one to fix it: drag, zoom or pick the face, then "
        "save. framer frames it again in the output folder and keeps the correction in the adjust file."
    ),
    "count_photos": N_("{n} photos"),
    "count_problems": N_("{n} to check"),
    "count_checked": N_("{n} checked"),
    "adjust_file": N_("Corrections are kept in {path}"),
    "rerun": N_("To frame them the same way again:"),
    "settings_unknown": N_(
        "framer could not find this batch's settings in its output folder's journal: saving uses the "
        "options given to framer review (frame, size, quality). Give it the same ones as framer apply."
    ),
    "filter_name": N_("Search by name"),
    "filter_folder": N_("Folder"),
    "filter_status": N_("Show"),
    "all_folders": N_("All folders"),
    "show_problems": N_("To check"),
    "show_all": N_("All photos"),
    "show_checked": N_("Checked"),
    "keys_review": N_("Keys: j or → next photo to check, k or ← previous, Enter to open it."),
    "fix": N_("Fix"),
    # The state is the badge's; a button says what a click on it does.
    "mark_checked": N_("Mark as checked"),
    "unmark_checked": N_("Un-check"),
    "checked_badge": N_("Checked ✓"),
    "save": N_("Save"),
    "cancel": N_("Close"),
    "saving": N_("Saving…"),
    "saved": N_("Saved: {path} was framed again."),
    "up_to_date": N_("Already framed like this: nothing to do."),
    "no_output": N_("No picture"),
    "nothing_here": N_("No photo matches."),
    "editing": N_("Fixing {name}"),
    "previous": N_("Previous"),
    "next": N_("Next"),
    "faces": N_("There are {count} people in this photo: pick the one to frame."),
}

# The review page's hints for some groups, in place of the static page's (which tell of adjust files).
REVIEW_HINTS = {
    "several_faces": N_(
        "Check it is the right person; to frame another, open it with Fix and pick its number."
    ),
    "no_face": N_("Framed from the top centre of the photo: open each one with Fix, zoom and drag it."),
    "invented": N_(
        "A large part of the frame's window lies beyond the photo and was filled with its edges, mirrored "
        "and blurred. Open it with Fix to see it large: zoom in, or use a photo with more room around the "
        "face."
    ),
}


def review() -> dict[str, str]:
    """The review page's words in the language in use."""
    return {key: _(text) for key, text in REVIEW.items()}
