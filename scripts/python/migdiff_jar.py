#!/usr/bin/env python3
"""Writes the release's jar: migdiff's classes and its runtime dependencies in one jar, as Maven's
shade plugin does for target/migdiff.jar (signatures, manifests and module-info dropped, service
files merged, first copy of a class wins), with fixed entry times, without the SQLite natives
of other systems (19 of sqlite-jdbc's 21 MB), and without the library classes that nothing
migdiff runs can load (see shrink(): about a third of the classes, 3 MB of the jar).

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
# Kept whole: migdiff itself, picocli (reflection over migdiff's commands), the JDBC drivers (they
# load their own classes by names made at run time: protocol versions, SSL and authentication
# plug-ins, message translations) and slf4j (found through the ServiceLoader).
KEEP_WHOLE = ("dev/", "picocli/", "org/postgresql/", "org/sqlite/", "org/slf4j/")
# Annotations for static checkers only (pgjdbc's @Nullable & co.: the JVM ignores annotations
# whose classes are missing), and pgjdbc's translations of its messages (it falls back to English
# when they are missing, and migdiff's own messages around them are English).
DROP = ("org/checkerframework/", "org/postgresql/translation/")
NAME = re.compile(rb"[A-Za-z_$][\w$]*(?:[/.][A-Za-z_$][\w$]*)+")


def constant_strings(data):
    """The UTF-8 constants of a class file: every class, descriptor, signature and string it names."""
    count = int.from_bytes(data[8:10], "big")
    i, k = 10, 1
    while k < count:
        tag = data[i]
        if tag == 1:
            n = int.from_bytes(data[i + 1:i + 3], "big")
            yield data[i + 3:i + 3 + n]
            i += 3 + n
        elif tag in (5, 6):
            i += 9
            k += 1
        elif tag in (3, 4, 9, 10, 11, 12, 17, 18):
            i += 5
        elif tag == 15:
            i += 4
        elif tag in (7, 8, 16, 19, 20):
            i += 3
        else:
            raise ValueError("unknown constant pool tag %d" % tag)
        k += 1


def shrink(files):
    """The names of the entries to keep: every resource but those of packages left without code,
    the classes of KEEP_WHOLE and of the service providers, and every class any kept class names
    anywhere in its constant pool (as a class, in a descriptor or signature, or as a string such
    as Class.forName's): a superset of what the JVM can load for migdiff, reflection by literal
    names included."""
    def base(name):  # META-INF/versions/N/a/B.class -> a/B.class
        m = re.match(r"META-INF/versions/\d+/(.*)", name)
        return m.group(1) if m else name
    classes = {}
    for name in files:
        if name.endswith(".class"):
            classes.setdefault(base(name)[:-6], []).append(name)
    todo = [c for c in classes if c.startswith(KEEP_WHOLE)]
    # ServiceLoader providers, needed once their service is: a JDK one (java.sql.Driver) at once,
    # a library's (apfloat's BuilderFactory) only when some kept class names it
    providers = {}
    for name, data in files.items():
        if name.startswith("META-INF/services/"):
            service = name[len("META-INF/services/"):].replace(".", "/")
            providers[service] = [l.split(b"#")[0].strip().decode().replace(".", "/")
                                  for l in data.splitlines() if l.split(b"#")[0].strip()]
            if service not in classes:
                todo += providers[service]
    keep = set()
    while todo:
        c = todo.pop()
        if c in keep or c not in classes or c.startswith(DROP):
            continue
        keep.add(c)
        todo += providers.get(c, [])
        for entry in classes[c]:
            for text in constant_strings(files[entry]):
                for m in NAME.finditer(text):
                    todo.append(m.group().decode().replace(".", "/"))
                    # a nested class named as Outer$Inner in a signature also needs Outer
                    todo.append(m.group().decode().replace(".", "/").split("$")[0])
    # a resource of a package whose classes all went (commons-codec's Beider-Morse rule files,
    # 0.1 MB): only its own code reads it, by a name relative to its package
    def package(n):
        return base(n).rsplit("/", 1)[0] if "/" in n else ""
    had_code = {package(n) for n in files if n.endswith(".class")}
    has_code = {package(n) for n in files if n.endswith(".class") and base(n)[:-6] in keep}
    def needed(n):
        if n.endswith(".class"):
            return base(n)[:-6] in keep
        if n.startswith("META-INF/services/"):
            service = n[len("META-INF/services/"):].replace(".", "/")
            return service not in classes or service in keep
        if not n.startswith("META-INF/") and package(n) in had_code - has_code:
            return False
        return True
    return {n for n in files if needed(n)}


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
            if SKIP.search(name) or name.startswith("META-INF/maven/"):
                continue
            if name.startswith("org/sqlite/native/") and not name.startswith(KEEP_NATIVE):
                continue
            if name.startswith("META-INF/services/"):
                services.setdefault(name, []).append(data.rstrip(b"\n") + b"\n")
                continue
            files.setdefault(name, data)
    for name, parts in services.items():
        files[name] = b"".join(parts)
    kept = shrink(files)
    dropped = sorted(n for n in files if n not in kept)
    files = {n: files[n] for n in kept}
    sys.stderr.write("migdiff_jar: %d classes kept, %d dropped\n" % (
        sum(n.endswith(".class") for n in files), len(dropped)))
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
