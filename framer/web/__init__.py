"""The employee's door: a web page that frames a photo in one tap (`framer serve`).

The web layer calls the core (detection, placement, frames, campaign) and never the command line; the
command line only starts it. Photos sent to the page are decoded from memory and never written to disk.
"""
