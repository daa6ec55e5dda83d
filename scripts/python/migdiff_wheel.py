#!/usr/bin/env python3
"""Writes migdiff's wheels with the standard library only (no PyPI needed to build them).

As a script: ``migdiff_wheel.py RELEASE_DIR VERSION OUT_DIR`` turns an unpacked release
(bin/migdiff, lib/migdiff/{migdiff.jar,runtime/}, share/) into
``OUT_DIR/migdiff-VERSION-py3-none-manylinux_2_NN_x86_64.whl``: the launcher goes to the wheel's
``.data/scripts/`` (pip copies it into the environment's bin/ as it is: a sh script, no Python on
the hot path) and the rest to ``.data/data/`` (installed under the environment's prefix, where the
launcher finds it as ``../lib/migdiff``). The platform tag names the newest glibc symbol version
the bundled binaries need, read from them, so pip refuses the wheel where it could not run.

As a module: ``write_wheel`` and ``pep440`` serve the pre-commit build backend beside it.
"""
import base64
import hashlib
import os
import re
import stat
import sys
import time
import zipfile


def pep440(version):
    """Maven's 0.1.0-SNAPSHOT is PEP 440's 0.1.0.dev0; 0.1.0 stays 0.1.0."""
    if version.endswith("-SNAPSHOT"):
        return version[: -len("-SNAPSHOT")] + ".dev0"
    return version.replace("-", ".")


def _date_time():
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315964800"))
    return time.gmtime(max(epoch, 315964800))[:6]  # zip cannot hold times before 1980


def write_wheel(path, name, version, tag, files, metadata_extra=()):
    """Writes a wheel: ``files`` is a list of (archive name, bytes, mode), in any order."""
    dist = "%s-%s" % (name.replace("-", "_"), version)
    metadata = "\n".join(
        ["Metadata-Version: 2.1", "Name: %s" % name, "Version: %s" % version] + list(metadata_extra)
    ) + "\n"
    wheel = "\n".join(
        ["Wheel-Version: 1.0", "Generator: migdiff_wheel", "Root-Is-Purelib: %s"
         % ("true" if tag.endswith("-any") else "false"), "Tag: %s" % tag]
    ) + "\n"
    entries = sorted(files) + [
        ("%s.dist-info/METADATA" % dist, metadata.encode(), 0o644),
        ("%s.dist-info/WHEEL" % dist, wheel.encode(), 0o644),
    ]
    record = []
    when = _date_time()
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, data, mode in entries:
            _add(z, arcname, data, mode, when)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append("%s,sha256=%s,%d" % (arcname, digest, len(data)))
        record.append("%s.dist-info/RECORD,," % dist)
        _add(z, "%s.dist-info/RECORD" % dist, ("\n".join(record) + "\n").encode(), 0o644, when)
    os.replace(tmp, path)
    return path


def _add(z, arcname, data, mode, when):
    info = zipfile.ZipInfo(arcname, date_time=when)
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data, compresslevel=9)


def glibc_tag(root):
    """manylinux_2_NN_x86_64 for the newest GLIBC_2.NN that an ELF file under root asks for."""
    newest = 17
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            with open(p, "rb") as f:
                if f.read(4) != b"\x7fELF":
                    continue
                f.seek(0)
                for m in re.finditer(rb"GLIBC_2\.(\d+)", f.read()):
                    newest = max(newest, int(m.group(1)))
    return "manylinux_2_%d_x86_64" % newest


def release_files(stage, name, version):
    """The wheel entries of an unpacked release directory."""
    data = "%s-%s.data" % (name, version)
    files = []
    for dirpath, dirnames, names in os.walk(stage):
        dirnames.sort()
        for n in sorted(names):
            p = os.path.join(dirpath, n)
            rel = os.path.relpath(p, stage).replace(os.sep, "/")
            if rel == "README.txt":
                continue
            mode = 0o755 if os.stat(p).st_mode & stat.S_IXUSR else 0o644
            with open(p, "rb") as f:
                content = f.read()
            if rel == "bin/migdiff":
                files.append(("%s/scripts/migdiff" % data, content, 0o755))
            else:
                files.append(("%s/data/%s" % (data, rel), content, mode))
    return files


def main(argv):
    stage, maven_version, out = argv
    version = pep440(maven_version)
    tag = "py3-none-" + glibc_tag(os.path.join(stage, "lib"))
    path = os.path.join(out, "migdiff-%s-%s.whl" % (version, tag))
    write_wheel(path, "migdiff", version, tag, release_files(stage, "migdiff", version), [
        "Summary: Divergent Django migrations and branch-switch rollback plans, read straight "
        "from Git objects (bundles its own Java runtime)",
        "Keywords: django,migrations,git,pre-commit",
        "Classifier: Framework :: Django",
        "Classifier: Operating System :: POSIX :: Linux",
        "Classifier: Environment :: Console",
    ])
    print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
