"""Oracle for `migdiff status`: real Django and a real database, driven one request at a time.

Reads JSON requests on stdin, one per line, answers each with one JSON line:
  {"op": "migrate", "project": dir, "db": path}   migrate everything at that work tree
  {"op": "state", "project": dir, "db": path}     Django's view of the database at that work tree:
      {"rows": [[app, name]...], "phantoms": [[app, name]...], "unapplied": [[app, name]...],
       "inconsistent": str | null}
  {"op": "run", "project": dir, "db": path, "commands": [[app, target]...]}
      {"unapplied": [...], "appliedForwards": [...], "stoppedAt": [app, name] | null}
The database is SQLite at `db`, or PostgreSQL when $MIGDIFF_PG_URL is set (then `db` names the
database on that server). Each request runs in a forked child, so every project gets a fresh
Django.
"""
import json
import sys

import django  # noqa: F401
import django.db.migrations.loader  # noqa: F401
import django.core.management  # noqa: F401

from oracle_child import in_child, migrate_commands


def migrate():
    from django.core.management import call_command
    call_command("migrate", verbosity=0, interactive=False)
    return {}


def state():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.recorder import MigrationRecorder
    executor = MigrationExecutor(connection)
    loader = executor.loader
    known = set(loader.disk_migrations)
    for m in loader.disk_migrations.values():
        known.update(tuple(x) for x in m.replaces)
    apps_here = {label for label, _ in loader.disk_migrations} | set(loader.migrated_apps)
    rows = [[a, n] for a, n in MigrationRecorder(connection).applied_migrations()]
    phantoms = sorted([a, n] for a, n in rows if a in apps_here and (a, n) not in known)
    inconsistent = None
    try:
        loader.check_consistent_history(connection)
    except Exception as e:  # InconsistentMigrationHistory
        inconsistent = str(e)
    # showmigrations' own view: "[ ]" marks what is not applied, per app.
    import io
    from django.core.management import call_command
    out = io.StringIO()
    call_command("showmigrations", format="list", stdout=out, no_color=True)
    not_shown_applied, app = [], None
    for line in out.getvalue().splitlines():
        if not line.startswith(" "):
            app = line.strip()
        elif line.strip().startswith("[ ]"):
            name = line.strip()[3:].strip().split(" ")[0]
            not_shown_applied.append([app, name])
    unapplied = None
    if inconsistent is None:
        plan = executor.migration_plan(loader.graph.leaf_nodes())
        unapplied = [[m.app_label, m.name] for m, backwards in plan if not backwards]
    return {"rows": rows, "phantoms": phantoms, "inconsistent": inconsistent,
            "unapplied": unapplied, "showmigrationsUnapplied": sorted(not_shown_applied)}


def run(commands):
    return lambda: migrate_commands(commands)


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        op = req["op"]
        fn = migrate if op == "migrate" else state if op == "state" else run(req["commands"])
        try:
            result = in_child(req["project"], req["db"], fn)
        except Exception as e:
            result = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
