"""The run's summary: the Report counts the records as they arrive, passes each to the report file, says
what was done and what is left to check, and decides the exit code."""

from __future__ import annotations

from collections import Counter

from ..errors import ExitCode
from ..i18n import N_, _, ngettext
from ..reasons import Warn
from .record import ERROR, NO_FACE, NOT_OURS, OK, OTHER_PHOTO, SKIPPED, UP_TO_DATE, Record
from .report_file import ReportFile


class Report:
    """Counts outcomes as records arrive, passes each to the report file if any, and owns the exit code."""

    def __init__(
        self, sink: ReportFile | None = None, keep: bool = False, campaign: dict[str, str] | None = None
    ) -> None:
        self.sink = sink
        self.campaign = campaign
        self.statuses: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()
        self.open: Counter[str] = Counter()  # the warnings of photos nobody has looked at yet (to check)
        self.reviewed: set[str] = set()  # the inputs a person corrected or marked as checked
        self.records: list[Record] | None = [] if keep else None  # kept only when something needs them all

    def add(self, record: Record) -> None:
        record.campaign = self.campaign
        self.statuses[record.status] += 1
        self.warnings.update(record.warnings)
        if record.input not in self.reviewed:  # a photo a person fixed or checked is done with
            self.open.update(record.warnings)
            if record.largely_invented:
                self.open[LARGELY_INVENTED] += 1
        if self.sink is not None:
            self.sink.write(record)
        if self.records is not None:
            self.records.append(record)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def framed(self) -> int:
        """Photos this run wrote an output for (with a face found or not)."""
        return self.statuses[OK] + self.statuses[NO_FACE]

    @property
    def exit_code(self) -> ExitCode:
        """1 when a photo needs a look: it failed, has no face found (this run or an earlier one) and nobody
        has looked at it, or was not framed because another photo's output, or a file framer did not
        write, stands in its place."""
        if (
            self.statuses[ERROR]
            or self.open[Warn.NO_FACE]
            or self.warnings[OTHER_PHOTO]
            or self.warnings[NOT_OURS]
        ):
            return ExitCode.SOME_FAILED
        return ExitCode.OK

    def actions(self) -> list[tuple[str, int]]:
        """What this run did with each photo: one row per outcome; the rows add up to the photos."""
        return [
            (_("framed"), self.statuses[OK]),
            (_("framed, no face found (please check)"), self.statuses[NO_FACE]),
            (_("skipped, up to date (already framed with these settings)"), self.warnings[UP_TO_DATE]),
            (_("skipped, another file is in the way (--overwrite replaces it)"), self.warnings[NOT_OURS]),
            (_("skipped, framed from another photo (--overwrite replaces it)"), self.warnings[OTHER_PHOTO]),
            (_("failed"), self.statuses[ERROR]),
        ]

    def to_check(self) -> list[tuple[str, int]]:
        """What to look at in the outputs, framed by this run or an earlier one (a re-run keeps them), but
        for the photos a person corrected or marked as checked (`reviewed`)."""
        return [(_(CHECK_TEXT[code]), self.open[code]) for code in CHECK_TEXT if self.open[code]]

    @property
    def done(self) -> bool:
        """Every photo framed (now or before), none failed, none skipped, none left to check."""
        skipped = self.warnings[OTHER_PHOTO] + self.warnings[NOT_OURS]
        return bool(self.total) and not self.statuses[ERROR] and not skipped and not self.to_check()

    def headline(self) -> str:
        """One line from the same counts as the table: "5 photos: 3 framed, 1 framed without a face
        found, 1 failed."; the counts of 0 left out."""
        counted = (
            (self.statuses[OK], _("{n} framed")),
            (self.statuses[NO_FACE], _("{n} framed without a face found")),
            (self.statuses[SKIPPED], _("{n} skipped")),
            (self.statuses[ERROR], _("{n} failed")),
        )
        # a count of 0 is not said ("1 photo: 1 framed without a face found", not "0 framed, 1 ..."),
        # but for "0 framed" when there is nothing else to say
        parts = [text.format(n=n) for n, text in counted if n] or [counted[0][1].format(n=0)]
        return ngettext("{n} photo: {parts}.", "{n} photos: {parts}.", self.total).format(
            n=self.total, parts=", ".join(parts)
        )


# The summary's "to check" rows: warnings about outputs, counted over every photo whose output is there.
LARGELY_INVENTED = "largely_invented"  # not a warning of the report's: its `invented` over INVENTED_TO_CHECK
CHECK_TEXT = {
    Warn.NO_FACE: N_("no face found: framed from the top centre"),
    Warn.SEVERAL_FACES: N_("several faces"),
    Warn.LOW_RESOLUTION: N_("face enlarged a lot (may look soft)"),
    LARGELY_INVENTED: N_("window largely filled in beyond the photo (check it at full size)"),
    Warn.ANIMATED: N_("animated pictures (the first frame was used)"),
    Warn.COLOUR_PROFILE_IGNORED: N_("colour profile could not be read"),
    Warn.RENAMED: N_("renamed (another input has the same name)"),
    Warn.PREVIEW_KEPT: N_("preview not written (a file framer did not make is in its place)"),
}
