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


def migrate_commands(commands, fake=False):
    """Runs `migrate APP TARGET` for each command, recording what Django unapplies and applies,
    and where an IrreversibleError stops it (to be called inside in_child). With fake, the
    operations are not run (so nothing stops) and only the records change."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.exceptions import IrreversibleError
    unapplied, forwards = [], []
    orig_unapply = MigrationExecutor.unapply_migration
    orig_apply = MigrationExecutor.apply_migration

    def unapply(self, state, migration, fake=False):
        unapplied.append([migration.app_label, migration.name])
        return orig_unapply(self, state, migration, fake=fake)

    def apply(self, state, migration, fake=False, fake_initial=False):
        forwards.append([migration.app_label, migration.name])
        return orig_apply(self, state, migration, fake=fake, fake_initial=fake_initial)

    MigrationExecutor.unapply_migration = unapply
    MigrationExecutor.apply_migration = apply
    stopped = None
    try:
        for app, target in commands:
            call_command("migrate", app, target, verbosity=0, interactive=False, fake=fake)
    except IrreversibleError:
        stopped = unapplied.pop()
    return {"unapplied": unapplied, "appliedForwards": forwards, "stoppedAt": stopped}
