"""Shared by the oracles: run a function under real Django in a forked child, per project."""
import json
import os
import re
import sys

import django


def settings_module(project):
    with open(os.path.join(project, "manage.py"), encoding="utf-8") as f:
        return re.search(r"DJANGO_SETTINGS_MODULE['\"]\s*,\s*['\"]([\w.]+)", f.read()).group(1)


def in_child(project, db, fn):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        result = {}
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            sys.path.insert(0, project)
            os.chdir(project)
            os.environ["DJANGO_SETTINGS_MODULE"] = settings_module(project)
            os.environ["MIGDIFF_DB"] = db
            django.setup()
            result = fn()
        except BaseException as e:  # reported as data
            result = {"error": "%s: %s" % (type(e).__name__, e)}
        os.write(w, json.dumps(result).encode("utf-8"))
        os.close(w)
        os._exit(0)
    os.close(w)
    chunks = []
    while True:
        data = os.read(r, 65536)
        if not data:
            break
        chunks.append(data)
    os.close(r)
    os.waitpid(pid, 0)
    text = b"".join(chunks).decode("utf-8")
    return json.loads(text) if text else {"error": "child died"}
