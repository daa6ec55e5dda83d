"""Oracle for migdiff's differential tests: what real Django's loader says about scenario projects.

Usage: django_oracle.py DIR...  (or directories on stdin, one per line)
Prints one JSON object per directory:
  {"dir": ..., "apps": {label: [leaves]}, "conflicts": {label: [leaves]}, "error": null | {"type", "message"}}
Django is imported once; each scenario runs in a forked child so settings and app registries never mix.
Settings module: DJANGO_SETTINGS_MODULE from the scenario's manage.py (default mysite.settings).
Layout scenarios leave two untracked files (Git, and so migdiff, never sees them):
  .oracle-sys-path   directories (relative, one a line) put on sys.path after the project, as an
                     installed package's source root would be (src/ layouts, package_dir);
  .oracle-uncertain  INSTALLED_APPS entries that come from a function call in the settings; the
                     labels of their apps are reported as "uncertain".
"""
import json
import os
import re
import select
import sys
import time

import django  # noqa: F401  (imported before forking so children start warm)
import django.apps  # noqa: F401
import django.db.migrations.loader  # noqa: F401
import django.db.migrations.graph  # noqa: F401
import django.conf  # noqa: F401

TIMEOUT = 20


def settings_module(project):
    try:
        with open(os.path.join(project, "manage.py"), encoding="utf-8") as f:
            m = re.search(r"DJANGO_SETTINGS_MODULE['\"]\s*,\s*['\"]([\w.]+)", f.read())
            if m:
                return m.group(1)
    except OSError:
        pass
    return "mysite.settings"


def lines(project, name):
    try:
        with open(os.path.join(project, name), encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    except OSError:
        return []


def child(project, out):
    result = {"dir": project, "apps": {}, "conflicts": {}, "error": None, "uncertain": []}
    try:
        sys.path.insert(0, project)
        for i, extra in enumerate(lines(project, ".oracle-sys-path")):
            sys.path.insert(1 + i, os.path.join(project, extra))
        uncertain = set(lines(project, ".oracle-uncertain"))
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module(project)
        django.setup()
        from django.apps import apps
        from django.db.migrations.loader import MigrationLoader

        for config in apps.get_app_configs():
            cls = type(config)
            if config.name in uncertain or cls.__module__ + "." + cls.__qualname__ in uncertain:
                result["uncertain"].append(config.label)
        loader = MigrationLoader(None, ignore_no_migrations=True)
        root = os.path.realpath(project) + os.sep
        for config in apps.get_app_configs():
            path = os.path.realpath(config.path) + os.sep
            if not path.startswith(root):
                continue
            leaves = [name for _, name in loader.graph.leaf_nodes(config.label)]
            if leaves:
                result["apps"][config.label] = leaves
        result["conflicts"] = loader.detect_conflicts()
    except BaseException as e:  # the oracle reports every failure as data
        result["error"] = {"type": type(e).__name__, "message": str(e)}
    os.write(out, (json.dumps(result, sort_keys=True) + "\n").encode("utf-8"))
    os.close(out)


def run(project):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            child(project, w)
        finally:
            os._exit(0)
    os.close(w)
    chunks = []
    deadline = time.monotonic() + TIMEOUT
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, 9)
            break
        ready, _, _ = select.select([r], [], [], left)
        if not ready:
            continue
        data = os.read(r, 65536)
        if not data:
            break
        chunks.append(data)
    os.close(r)
    os.waitpid(pid, 0)
    text = b"".join(chunks).decode("utf-8").strip()
    if not text:
        return {"dir": project, "apps": {}, "conflicts": {},
                "error": {"type": "OracleTimeout", "message": "no answer in %ss" % TIMEOUT}}
    return json.loads(text)


def main():
    dirs = sys.argv[1:] or [line.strip() for line in sys.stdin if line.strip()]
    for d in dirs:
        sys.stdout.write(json.dumps(run(d), sort_keys=True) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
