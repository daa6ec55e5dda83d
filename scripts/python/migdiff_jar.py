#!/usr/bin/env python3
"""Writes the release's jar: migdiff's classes and its runtime dependencies in one jar, as Maven's
shade plugin does for target/migdiff.jar (signatures, manifests and module-info dropped, service
files merged, first copy of a class wins), with fixed entry times, and without the SQLite natives
of other systems (19 of sqlite-jdbc's 21 MB).

usage: migdiff_jar.py OUT.jar VERSION COMMIT CLASSES_DIR CLASSPATH_FILE
  CLASSPATH_FILE: the runtime class path, as maven-dependency-plugin's build-classpath writes it
"""
import os
import re
import sys
import zipfile

SKIP = re.compile(r"^META-INF/(MANIFEST\.MF|[^/]+\.(SF|RSA|DSA|EC)|INDEX\.LIST)$|(^|/)module-info\.class$")
KEEP_NATIVE = "org/sqlite/native/Linux/x86_64/"
WHEN = (1980, 2, 1, 0, 0, 0)


def entries(source):
    """(name, bytes) of a jar or a class directory, sorted by name."""
    if os.path.isdir(source):
        for dirpath, dirnames, names in os.walk(source):
            dirnames.sort()
            for n in sorted(names):
                p = os.path.join(dirpath, n)
                with open(p, "rb") as f:
                    yield os.path.relpath(p, source).replace(os.sep, "/"), f.read()
    else:
        with zipfile.ZipFile(source) as z:
            for info in sorted(z.infolist(), key=lambda i: i.filename):
                if not info.is_dir():
                    yield info.filename, z.read(info)


def main(out, version, commit, classes, classpath_file):
    with open(classpath_file, encoding="utf-8") as f:
        classpath = [p for p in f.read().strip().split(os.pathsep) if p]
    files, services = {}, {}
    for source in [classes] + classpath:
        for name, data in entries(source):
            if SKIP.search(name):
                continue
            if name.startswith("org/sqlite/native/") and not name.startswith(KEEP_NATIVE):
                continue
            if name.startswith("META-INF/services/"):
                services.setdefault(name, []).append(data.rstrip(b"\n") + b"\n")
                continue
            files.setdefault(name, data)
    for name, parts in services.items():
        files[name] = b"".join(parts)
    manifest = (
        "Manifest-Version: 1.0\r\nMain-Class: dev.migdiff.cli.Main\r\n"
        "Implementation-Version: %s\r\nMigdiff-Commit: %s\r\nMulti-Release: true\r\n\r\n"
        % (version, commit)
    ).encode()
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("META-INF/MANIFEST.MF", WHEN), manifest, zipfile.ZIP_DEFLATED, 9)
        for name in sorted(files):
            info = zipfile.ZipInfo(name, WHEN)
            info.external_attr = 0o644 << 16
            z.writestr(info, files[name], zipfile.ZIP_DEFLATED, 9)
    os.replace(tmp, out)


if __name__ == "__main__":
    main(*sys.argv[1:])
