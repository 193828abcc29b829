# Everything about the package is in pyproject.toml. This file only makes a
# wheel built in a checkout (`pip install .`, `pipx install .`) start from an
# empty build/lib: setuptools copies the modules there and never removes one,
# so a module moved or deleted since an earlier build would ship again.
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py


class FreshBuildPy(build_py):
    def run(self):
        if not getattr(self, "editable_mode", False):  # an editable install builds nothing to keep
            shutil.rmtree(self.build_lib, ignore_errors=True)
        super().run()


setup(cmdclass={"build_py": FreshBuildPy})
