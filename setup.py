"""Build step beyond pyproject.toml: compile the gettext catalogs (.po -> .mo) into the package."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCatalogs(build_py):
    """Compile framer/locale/*/LC_MESSAGES/framer.po with Babel when the package is built.

    A wheel gets the .mo files in its build folder; an editable install gets them beside the .po
    files in the source tree (they are ignored by git), where the running code looks for them.
    """

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(__file__).resolve().parent
        out = root if self.editable_mode else Path(self.build_lib)
        for po in sorted((root / "framer" / "locale").glob("*/LC_MESSAGES/framer.po")):
            mo = out / po.relative_to(root).with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


setup(cmdclass={"build_py": BuildPyWithCatalogs})
