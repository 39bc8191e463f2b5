"""Build step: the wheel carries the top-level templates/, static/ and translations/.

They stay at the top of the checkout (the project's layout); the built package holds a copy
inside `mediation/`, with the .po catalogs compiled to .mo, where `create_app` looks first.
"""

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = ("templates", "static", "translations")


def compile_catalogs(folder: str) -> None:
    """Write messages.mo beside every messages.po under `folder` (and drop the sources)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for directory, _subdirs, files in os.walk(folder):
        if "messages.po" not in files:
            continue
        source = os.path.join(directory, "messages.po")
        with open(source, "rb") as handle:
            catalog = read_po(handle)
        with open(os.path.join(directory, "messages.mo"), "wb") as handle:
            write_mo(handle, catalog)
        os.remove(source)


class BuildWithResources(build_py):
    """Copy the top-level resource folders into the package being built."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads them from the checkout
        here = os.path.dirname(os.path.abspath(__file__))
        for name in RESOURCES:
            target = os.path.join(self.build_lib, "mediation", name)
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(os.path.join(here, name), target,
                            ignore=shutil.ignore_patterns("*.mo", "*.pot", "__pycache__"))
        compile_catalogs(os.path.join(self.build_lib, "mediation", "translations"))


setup(cmdclass={"build_py": BuildWithResources})
