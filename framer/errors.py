"""The one error hierarchy, and the exit codes the command line maps outcomes to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What `framer` tells the shell: 0 all framed, 1 some photos need a look, 2 usage, 3 campaign closed."""

    OK = 0
    SOME_FAILED = 1
    USAGE = 2
    OUTSIDE_CAMPAIGN = 3
    INTERRUPTED = 130


class FramerError(Exception):
    """A user-facing error: its message is shown as is, without a traceback."""

    exit_code: ExitCode = ExitCode.SOME_FAILED


class FrameError(FramerError):
    """A frame that cannot be used: missing, unreadable, or with malformed metadata."""

    exit_code = ExitCode.USAGE


class CampaignClosed(FramerError):
    """The frame's campaign has ended and the user did not ask to frame anyway."""

    exit_code = ExitCode.OUTSIDE_CAMPAIGN


class CodedError(FramerError):
    """An error about one photo or its output: a stable code (see framer.reasons) and the values its words
    name, so that a report keeps the code and any language can word it."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code, self.details = code, details

    def __str__(self) -> str:
        from .reasons import worded

        return worded(self.code, self.details)


class PhotoError(CodedError):
    """One photo could not be framed (unreadable, not an image, unsupported); the batch goes on."""


class OutputError(CodedError):
    """An output cannot be written where it should go (it exists, or it would replace an input)."""


class CannotStart(FramerError):
    """A run that cannot start as asked; nothing was done."""

    exit_code = ExitCode.USAGE


class WriteRefused(CannotStart):
    """A file framer was asked to write would replace what it must not (an input, a link, a device), or
    its folder cannot be written."""


class FolderBusy(CannotStart):
    """Another framer run is writing into the same output folder."""


class AdjustError(FramerError):
    """An --adjust file that cannot be used: unreadable, a bad value, or a row that matches no photo."""

    exit_code = ExitCode.USAGE
