"""Oracle for migdiff's version-rule tests: runs `migrate` steps with real Django on one SQLite file.

Reads one JSON job per line on stdin:
  {"dir": repo, "db": sqlite path, "steps": [{"ref": rev, "args": ["shop", "0002_b"]}, ...]}
and prints one JSON result per job:
  {"dir": ..., "steps": [{"error": str | null, "applied": [[app, name]...], "unapplied": [...]}],
   "rows": [[app, name], ...]}   (django_migrations after the last step, sorted)
Each step runs `migrate ARGS` in a forked child, in a worktree of REF; a failing step is data.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import django  # noqa: F401
import django.core.management  # noqa: F401
import django.db.migrations.executor  # noqa: F401

from oracle_child import in_child

GIT_ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")


def git(*args):
    subprocess.run(["git", *args], env=GIT_ENV, stdout=subprocess.PIPE,
                   stderr=subprocess.STDOUT, check=True)


def step(args):
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor
    applied, unapplied = [], []
    orig_apply = MigrationExecutor.apply_migration
    orig_unapply = MigrationExecutor.unapply_migration

    def apply(self, state, migration, fake=False, fake_initial=False):
        applied.append([migration.app_label, migration.name])
        return orig_apply(self, state, migration, fake=fake, fake_initial=fake_initial)

    def unapply(self, state, migration, fake=False):
        unapplied.append([migration.app_label, migration.name])
        return orig_unapply(self, state, migration, fake=fake)

    MigrationExecutor.apply_migration = apply
    MigrationExecutor.unapply_migration = unapply
    error = None
    try:
        call_command("migrate", *args, verbosity=0, interactive=False)
    except BaseException as e:  # reported as data
        error = "%s: %s" % (type(e).__name__, e)
    return {"error": error, "applied": applied, "unapplied": unapplied}


def rows():
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder
    return {"rows": sorted([a, n] for a, n in MigrationRecorder(connection).applied_migrations())}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        scratch = tempfile.mkdtemp(prefix="migdiff-rules-")
        result = {"dir": job["dir"], "steps": []}
        try:
            for i, s in enumerate(job["steps"]):
                wt = os.path.join(scratch, "wt%d" % i)
                git("-C", job["dir"], "worktree", "add", "-q", "--detach", wt, s["ref"])
                result["steps"].append(in_child(wt, job["db"], lambda: step(s["args"])))
                if i == len(job["steps"]) - 1:
                    result.update(in_child(wt, job["db"], rows))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            git("-C", job["dir"], "worktree", "prune")
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
