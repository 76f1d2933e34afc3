"""`python -m framer` and the `framer` command.

Worker processes are spawned, and a spawned process imports its parent's main module again (as
`__mp_main__`): so this module imports nothing at its top, and the CLI (Click and every command's
module, 70 ms) is loaded only when it runs, never in a worker before its first photo.
"""


def main() -> None:
    from .cli.main import main as cli

    cli()


if __name__ == "__main__":
    main()
