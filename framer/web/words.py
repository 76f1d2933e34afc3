"""Every word the page shows, and the web layer's own error messages: framer's catalog, like the CLI's.

The page has no words of its own: it reads these from site.json (framer.web.site), in each language,
and shows them by key. A photo's warnings and the campaign are worded by framer.batch.report and
framer.frames.campaign; why a photo cannot be framed has the page's own sentences here (PHOTO_REASONS), for
framer.reasons' codes: the command line's fragments name framer and its options, a page's error is a
sentence that says what to do next.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..i18n import N_, _, integer, ngettext

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

# Why a request was refused, by its stable code (the JSON error's "code"): each a sentence, with what to
# do next where there is something to do. Photos' own reasons are PHOTO_REASONS'.
ERRORS = {
    "too_large_upload": N_("The photo is larger than {mb} MB. Choose a smaller photo."),
    "busy": N_("The server is busy. Please try again in a few seconds."),
    "expired": N_(
        "This photo is no longer on the server (photos are kept {minutes} minutes). Choose it again."
    ),
    "not_a_form": N_(
        "The upload is not a form with a photo in it. Send the photo in a multipart/form-data form."
    ),
    "no_photo": N_("No photo was sent. Choose a photo."),
    "slow_upload": N_("The upload took too long. Check your connection and try again."),
    "unknown_frame": N_("There is no frame named {name} on this page. Choose one of the frames it offers."),
    "bad_number": N_("The value of {name} must be a number from {low} to {high}."),
    "bad_face": N_("The value of face must be a whole number, 1 or more."),
    "bad_format": N_("The value of format must be jpg, png or webp."),
    "not_found": N_("There is nothing at this address. Check the address."),
    "bad_token": N_(
        "This page needs its key. Open the full address printed when the review was started, with its "
        "?token= part."
    ),
    "too_large_body": N_("The request is too large. Send a smaller one."),
    "other_site": N_(
        "This request comes from another website's page: only this site's own pages, or a script, may "
        "send it. Open this page at its own address and try again."
    ),
    "bad_host": N_("This server answers only the addresses it was started on. Open the page at one of them."),
    "bad_json": N_("The request must be a JSON object."),
    "bad_value": N_("The value of {name} must be a number."),
    "bad_flag": N_("The value of {name} must be true or false."),
    "unknown_file": N_("There is no such photo in this report. Reload the page."),
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


# Why a photo was not framed, for the page and the API, by framer.reasons' code: a sentence that does not
# name framer, and what to do next. Every code a photo sent to the page can end in (decoding it from its
# bytes, finding the face asked for, a worker that crashed), and the page's own (framer.web.site.PROBLEMS);
# the command line keeps framer.reasons' words. A function words a plural: it is given the value `found`.
PHOTO_REASONS: dict[str, str | Callable[[int], str]] = {
    "not_an_image": N_("This file is not a photo, or its format is not supported. Choose another photo."),
    "empty": N_("This file is empty (0 bytes). Choose another photo."),
    "cannot_read": N_("This file could not be read. Choose it again, or choose another photo."),
    "truncated": N_(
        "The photo file is incomplete (perhaps it was not fully copied or downloaded). Choose the photo "
        "again."
    ),
    "damaged": N_("The photo's data is damaged and cannot be read. Choose another photo."),
    "unsupported": N_("{kind} photos are not supported. Choose a JPEG, PNG or WebP photo."),
    "too_large": N_(
        "The photo is {w} x {h} px ({mp} megapixels), more than the {limit} megapixels this page takes. "
        "Choose a smaller copy of the photo."
    ),
    "too_costly": N_(
        "Opening this photo would take {mb} MB of memory, more than the {limit} MB allowed for one photo. "
        "Choose a smaller copy of the photo."
    ),
    "out_of_memory": N_(
        "Opening this photo took more memory than is allowed for one photo. Choose a smaller copy of the "
        "photo."
    ),
    "crashed": N_("This photo could not be opened: the file is probably damaged. Choose another photo."),
    "face_beyond": lambda found: ngettext(
        "There is no face {n}: only {found} face was found in the photo. Choose face 1.",
        "There is no face {n}: only {found} faces were found in the photo. Choose a face from 1 to {found}.",
        found,
    ),
    "face_none": N_(
        "There is no face {n}: no face was found in the photo. Frame it without choosing a face, or "
        "choose another photo."
    ),
    "unexpected": N_(
        "Something went wrong on the server ({detail}). Please try again, and report it if it happens again."
    ),
}


def photo_error(code: str, details: Mapping[str, object], said: str) -> str:
    """Why a photo was not framed, for the page, in the language in use: its sentence in PHOTO_REASONS
    with its values (whole numbers written the language's way), else framer's reason (`said`)."""
    words = PHOTO_REASONS.get(code)
    if words is None:
        return said
    values = {
        k: integer(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in details.items()
    }
    try:
        if callable(words):
            return words(int(str(details["found"]))).format(**values)
        return _(words).format(**values)
    except (KeyError, IndexError, ValueError, TypeError):  # a value the sentence needs is missing
        return said


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
