"""Oracle for migdiff's switch/merge differential tests, with real Django, git and SQLite.

Reads JSON jobs on stdin, one per line: {"dir": repo, "from": ref, "to": ref, "commands": [[app, target], ...]}
and prints one JSON result per job:
  merge:   {"textConflict": bool, "conflicts": {label: [leaves]}, "error": ...}  (git merge of TO into FROM)
  switch:  {"unapplied": [[app, name], ...], "appliedForwards": [...], "stoppedAt": [app, name] | null,
            "phantoms": [[app, name], ...], "inconsistent": str | null, "error": ...}
The database is SQLite at $MIGDIFF_DB, migrated with `migrate` at FROM; the commands run at FROM;
phantoms and consistency are checked by Django's loader at TO. Each step runs in a forked child.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import django  # noqa: F401
import django.db.migrations.loader  # noqa: F401
import django.db.migrations.executor  # noqa: F401
import django.core.management  # noqa: F401

from oracle_child import in_child, migrate_commands

GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="oracle", GIT_AUTHOR_EMAIL="o@example.com",
               GIT_COMMITTER_NAME="oracle", GIT_COMMITTER_EMAIL="o@example.com",
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")


def git(*args, check=True):
    return subprocess.run(["git", *args], env=GIT_ENV, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, check=check, text=True)


def merge_job(job, scratch):
    wt = os.path.join(scratch, "merge")
    git("-C", job["dir"], "worktree", "add", "-q", "--detach", wt, job["from"])
    try:
        merged = git("-C", wt, "merge", "--no-edit", "--no-ff", job["to"], check=False)
        if merged.returncode != 0:
            return {"textConflict": True, "conflicts": {}, "error": None}

        def conflicts():
            from django.db.migrations.loader import MigrationLoader
            return {"conflicts": MigrationLoader(None, ignore_no_migrations=True).detect_conflicts()}

        out = in_child(wt, os.path.join(scratch, "unused.sqlite3"), conflicts)
        out.setdefault("error", None)
        out["textConflict"] = False
        return out
    finally:
        git("-C", job["dir"], "worktree", "remove", "--force", wt, check=False)


def switch_job(job, scratch):
    db = os.path.join(scratch, "db.sqlite3")
    wt_from = os.path.join(scratch, "from")
    wt_to = os.path.join(scratch, "to")
    git("-C", job["dir"], "worktree", "add", "-q", "--detach", wt_from, job["from"])
    git("-C", job["dir"], "worktree", "add", "-q", "--detach", wt_to, job["to"])
    try:
        def migrate_all():
            from django.core.management import call_command
            call_command("migrate", verbosity=0, interactive=False)
            return {}

        out = in_child(wt_from, db, migrate_all)
        if out.get("error"):
            return {"error": "migrate at FROM: " + out["error"]}

        def run_commands():
            return migrate_commands(job["commands"])

        result = in_child(wt_from, db, run_commands)
        if result.get("error") or result.get("stoppedAt"):
            return result

        def check_at_to():
            from django.db import connection
            from django.db.migrations.loader import MigrationLoader
            from django.db.migrations.recorder import MigrationRecorder
            loader = MigrationLoader(connection, ignore_no_migrations=True)
            known = set(loader.disk_migrations)
            for m in loader.disk_migrations.values():
                known.update(tuple(x) for x in m.replaces)
            apps_here = {label for label, _ in loader.disk_migrations} | set(loader.migrated_apps)
            phantoms = sorted([a, n] for a, n in MigrationRecorder(connection).applied_migrations()
                              if a in apps_here and (a, n) not in known)
            inconsistent = None
            try:
                loader.check_consistent_history(connection)
            except Exception as e:  # InconsistentMigrationHistory
                inconsistent = str(e)
            return {"phantoms": phantoms, "inconsistent": inconsistent}

        result.update(in_child(wt_to, db, check_at_to))
        return result
    finally:
        git("-C", job["dir"], "worktree", "remove", "--force", wt_from, check=False)
        git("-C", job["dir"], "worktree", "remove", "--force", wt_to, check=False)


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        scratch = tempfile.mkdtemp(prefix="migdiff-oracle-")
        try:
            result = {"dir": job["dir"], "merge": merge_job(job, scratch),
                      "switch": switch_job(job, scratch) if job.get("commands") is not None else None}
        except Exception as e:
            result = {"dir": job["dir"], "error": "%s: %s" % (type(e).__name__, e)}
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
