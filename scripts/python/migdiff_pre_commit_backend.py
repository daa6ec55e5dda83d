"""The PEP 517 build backend of this repository's pyproject.toml, for pre-commit.

pre-commit installs a ``language: python`` hook by running ``pip install .`` in its clone of
this repository. Building migdiff itself there would need a JDK and Maven; instead this backend
writes a tiny wheel, ``migdiff-pre-commit``, whose only content is a dependency on the released
``migdiff`` wheel of the same version (the bundled Java runtime and the launcher), which pip then
fetches like any other package. Standard library only, so ``build-system.requires`` is empty and
nothing else is downloaded.
"""
import os
import re

import migdiff_wheel

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_NAME = "migdiff-pre-commit"


def _version():
    with open(os.path.join(_ROOT, "pom.xml"), encoding="utf-8") as f:
        pom = f.read()
    m = re.search(r"<artifactId>migdiff</artifactId>\s*<version>([^<]+)</version>", pom)
    return migdiff_wheel.pep440(m.group(1))


def _metadata():
    v = _version()
    return [
        "Summary: Installs migdiff %s for the pre-commit hooks of .pre-commit-hooks.yaml" % v,
        "Requires-Dist: migdiff==%s" % v,
    ]


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    v = _version()
    path = os.path.join(wheel_directory, "migdiff_pre_commit-%s-py3-none-any.whl" % v)
    migdiff_wheel.write_wheel(path, _NAME, v, "py3-none-any", [], _metadata())
    return os.path.basename(path)
