"""Oracle for migdiff's switch/merge differential tests, with real Django, git and SQLite.

Reads JSON jobs on stdin, one per line: {"dir": repo, "from": ref, "to": ref, "commands": [[app, target], ...]}
and prints one JSON result per job:
  merge:   {"textConflict": bool, "conflicts": {label: [leaves]}, "error": ...}  (git merge of TO into FROM)
  switch:  {"unapplied": [[app, name], ...], "appliedForwards": [...], "stoppedAt": [app, name] | null,
            "unappliedFaked": [...] (when stopped: the commands again with --fake),
            "phantoms": [[app, name], ...], "inconsistent": str | null,
            "required": [[app, name], ...], "migrateError": str | null, "error": ...,
            "toError": str (Django's loader fails at TO itself; the TO fields are then absent)}
The database is SQLite at $MIGDIFF_DB, migrated with `migrate` at FROM; the commands run at FROM;
phantoms and consistency are checked by Django's loader at TO, then `migrate` runs there.
"required" lists the unapplied migrations that could not stay applied: unknown at TO, or
rejected by TO's check_consistent_history when their rows are kept, with those of their FROM
ancestors the commands took down (unless FROM's backwards plan of another required one takes
them down). Each step runs in a forked child.
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


def describe_from():
    """FROM's graph as Django's loader builds it for the migrated database: children of each
    node, squashes' replaces, and the app labels."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    children = [[list(k), sorted(list(c.key) for c in node.children)]
                for k, node in loader.graph.node_map.items()]
    replaces = [[list(k), [list(r) for r in m.replaces]] for k, m in loader.replacements.items()]
    labels = sorted({label for label, _ in loader.disk_migrations} | set(loader.migrated_apps))
    return {"children": children, "replaces": replaces, "labels": labels}


def check_at_to(unapplied, from_info):
    """At TO, with the rows FROM's commands left: phantoms, Django's consistency check, which of
    the unapplied migrations were required, and what a plain `migrate` then does."""
    def run():
        from django.core.management import call_command
        from django.db import connection
        from django.db.migrations.exceptions import InconsistentMigrationHistory
        from django.db.migrations.loader import MigrationLoader
        from django.db.migrations.recorder import MigrationRecorder
        recorder = MigrationRecorder(connection)
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        known = set(loader.disk_migrations)
        for m in loader.disk_migrations.values():
            known.update(tuple(x) for x in m.replaces)
        labels = {label for label, _ in loader.disk_migrations} | set(loader.migrated_apps)
        labels |= set(from_info["labels"])
        rows = set(recorder.applied_migrations())
        phantoms = sorted([a, n] for a, n in rows if a in labels and (a, n) not in known)
        inconsistent = None
        try:
            loader.check_consistent_history(connection)
        except InconsistentMigrationHistory as e:
            inconsistent = str(e)

        # Required: the unapplied migrations TO does not know, or whose row TO's
        # check_consistent_history rejects when kept, unless FROM's backwards plan of another
        # required one takes them down anyway (then they are collateral).
        children = {tuple(k): [tuple(c) for c in cs] for k, cs in from_info["children"]}
        from_replaces = {tuple(k): [tuple(r) for r in rs] for k, rs in from_info["replaces"]}

        def below(k):
            out, todo = set(), list(children.get(k, ()))
            while todo:
                c = todo.pop()
                if c not in out:
                    out.add(c)
                    todo.extend(children.get(c, ()))
            return out

        parents = {}
        for k, cs in children.items():
            for c in cs:
                parents.setdefault(c, []).append(k)

        def above(k):
            out, todo = set(), list(parents.get(k, ()))
            while todo:
                p = todo.pop()
                if p not in out:
                    out.add(p)
                    todo.extend(parents.get(p, ()))
            return out

        def known_in(loader, k):
            to_replaced_by = {}
            for key, mig in loader.replacements.items():
                for r in mig.replaces:
                    to_replaced_by.setdefault(tuple(r), []).append(key)

            def known_row(x):
                return x in loader.disk_migrations or any(
                    s in loader.graph.nodes for s in to_replaced_by.get(x, ()))
            return known_row(k) or (k in from_replaces and all(
                known_row(r) for r in from_replaces[k]))

        gone = {tuple(x) for x in unapplied}
        required, forced = [], set()
        for m in reversed([tuple(x) for x in unapplied]):
            need = not known_in(loader, m)
            if not need and m not in forced:
                # Kept applied, with its FROM ancestors that the commands took down too.
                own = []
                for a in [m] + sorted(above(m) & gone):
                    own += [a] + from_replaces.get(a, [])
                added = [r for r in dict.fromkeys(own) if r not in rows]
                for r in added:
                    recorder.record_applied(*r)
                try:
                    kept = MigrationLoader(connection, ignore_no_migrations=True)
                    need = not known_in(kept, m)
                    if not need:
                        try:
                            kept.check_consistent_history(connection)
                        except InconsistentMigrationHistory:
                            need = True
                finally:
                    for r in added:
                        recorder.record_unapplied(*r)
            if need:
                required.append(list(m))
                forced |= below(m)
        migrate_error = None
        try:
            call_command("migrate", verbosity=0, interactive=False)
        except Exception as e:  # what `migrate` at TO says after the plan
            migrate_error = "%s: %s" % (type(e).__name__, e)
        return {"phantoms": phantoms, "inconsistent": inconsistent, "required": required,
                "migrateError": migrate_error}
    return run


def switch_job(job, scratch):
    db = os.path.join(scratch, "db.sqlite3")
    faked = os.path.join(scratch, "faked.sqlite3")
    wt_from = os.path.join(scratch, "from")
    wt_to = os.path.join(scratch, "to")
    git("-C", job["dir"], "worktree", "add", "-q", "--detach", wt_from, job["from"])
    git("-C", job["dir"], "worktree", "add", "-q", "--detach", wt_to, job["to"])
    try:
        def migrate_all():
            from django.core.management import call_command
            call_command("migrate", verbosity=0, interactive=False)
            return describe_from()

        from_info = in_child(wt_from, db, migrate_all)
        if from_info.get("error"):
            return {"error": "migrate at FROM: " + from_info["error"]}
        shutil.copyfile(db, faked)

        result = in_child(wt_from, db, lambda: migrate_commands(job["commands"]))
        if result.get("error"):
            return result
        final_db, unapplied = db, result["unapplied"]
        if result.get("stoppedAt"):
            # Where Django stops, the rest is judged on the commands run with --fake: the records
            # change as if every reverse had worked.
            fake = in_child(wt_from, faked, lambda: migrate_commands(job["commands"], fake=True))
            if fake.get("error"):
                return {"error": "faked commands: " + fake["error"]}
            final_db, unapplied = faked, fake["unapplied"]
            result["unappliedFaked"] = unapplied
        at_to = in_child(wt_to, final_db, check_at_to(unapplied, from_info))
        if at_to.get("error"):
            # Django cannot even load TO (a dependency on a migration TO does not have): what
            # FROM's commands did is still compared; what TO would do with it cannot be
            result["toError"] = at_to.pop("error")
        result.update(at_to)
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
