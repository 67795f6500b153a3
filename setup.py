"""Compiles the Japanese catalogues (.po → .mo) into the built package, so that an install
from the wheel speaks Japanese without gettext's tools or `make`. Everything else about the
package is in pyproject.toml."""

from pathlib import Path

import polib
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        for po in Path("ibasho").rglob("locale/*/LC_MESSAGES/*.po"):
            target = Path(self.build_lib) / po.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            polib.pofile(str(po)).save_as_mofile(str(target))


setup(cmdclass={"build_py": BuildWithCatalogues})
