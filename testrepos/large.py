#!/usr/bin/env python3
"""Generates a large, realistic Django repository, deterministic per seed, with `git fast-import`.

usage: large.py DIR [--profile large|huge|radar] [--apps N] [--migrations N] [--commits N] [--refs N]
                    [--feature-branches N]
                    [--seed N] [--no-checkout]

Profiles (every number can be overridden):
  large  60 apps,  1,500 migrations,  20,000 commits, 15,000 tags; `feature` and `other` fork
         600 commits before main's tip and add 30 migrations each in 5 apps (several conflicts);
  huge  500 apps, 100,000 migrations, 100,000 commits, 50,000 tags; `feature` and `other` fork
         20 commits before main's tip and add 4 migrations each in 3 apps (a small divergence).
  radar  "large" plus 50 feature branches `radar/f00`..`radar/f49` off main's tip, each adding
         1-3 migrations in 1-2 apps (several pairs collide: `migdiff radar`'s bench).
Branches: `main`; `feature` and `other` (long-lived, diverging from main); `docs`, which differs
from main's tip only outside migrations. Finished with `git gc` (packed refs, one pack).

Migration files look like real ones (CreateModel, AddField with ForeignKeys, AlterField,
RemoveField, RunPython with and without reverse_code, swappable_dependency; 1-30 KB, median about
3 KB) and are consistent: every operation applies to Django's project state. Each app's
`models.py` matches main's final migration state, so on main `manage.py makemigrations --check`
(Debian's Django 3.2) loads every migration, runs the autodetector and finds no change.
Writes only into DIR.
"""
import argparse
import copy
import math
import os
import random
import subprocess
import sys

PROFILES = {
    "large": dict(apps=60, migrations=1500, commits=20000, refs=15000,
                  fork_back=600, branch_commits=150, branch_migrations=30, branch_apps=5,
                  feature_branches=0),
    "huge": dict(apps=500, migrations=100000, commits=100000, refs=50000,
                 fork_back=20, branch_commits=10, branch_migrations=4, branch_apps=3,
                 feature_branches=0),
}
# "radar": "large" plus 50 open feature branches (radar/f00..f49) off main's tip, each adding one to
# three migrations in one or two apps over two commits: several pairs collide (migdiff radar's bench).
PROFILES["radar"] = dict(PROFILES["large"], feature_branches=50)

SETTINGS = """import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = 'bench'
DEBUG = True
USE_TZ = True
DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'
DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': os.path.join(BASE_DIR, 'db.sqlite3')}}
INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
%s]
"""

MANAGE = """#!/usr/bin/env python
import os
import sys

if __name__ == '__main__':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
"""

SCALARS = [
    ("models.CharField(default='', max_length=%d)", "models.CharField(default='', max_length=%d)"),
    ("models.IntegerField(default=0)", "models.IntegerField(default=0)"),
    ("models.BooleanField(default=False)", "models.BooleanField(default=False)"),
    ("models.TextField(blank=True, null=True)", "models.TextField(blank=True, null=True)"),
    ("models.DateTimeField(auto_now_add=True)", "models.DateTimeField(auto_now_add=True)"),
    ("models.DecimalField(decimal_places=2, default=0, max_digits=10)",
     "models.DecimalField(decimal_places=2, default=0, max_digits=10)"),
]


class App:
    """One app's migration state: its chain of migrations and its models (name -> fields)."""

    def __init__(self, label):
        self.label = label
        self.chain = []
        self.models = {}  # "Model3" -> {"f0": (migration expr, models.py expr)}
        self.next_field = {}
        self.swappable = False

    def field(self, rnd, model):
        """A new field definition: a scalar, or a nullable ForeignKey to a model of this app."""
        if self.models and rnd.random() < 0.12:
            target = rnd.choice(sorted(self.models))
            return ("models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, "
                    "related_name='+', to='%s.%s')" % (self.label, target.lower()),
                    "models.ForeignKey('%s.%s', null=True, on_delete=models.CASCADE, related_name='+')"
                    % (self.label, target))
        mig, mod = rnd.choice(SCALARS)
        if "%d" in mig:
            n = rnd.randrange(10, 255)
            return mig % n, mod % n
        return mig, mod

    def new_field_name(self, model):
        n = self.next_field.get(model, 0)
        self.next_field[model] = n + 1
        return "f%d" % n

    def models_py(self):
        out = ["from django.conf import settings\nfrom django.db import models\n"]
        for model in sorted(self.models, key=lambda m: int(m[5:])):
            out.append("\n\nclass %s(models.Model):\n" % model)
            for name, (_, expr) in self.models[model].items():
                out.append("    %s = %s\n" % (name, expr))
            out.append("\n    class Meta:\n        ordering = ['-id']\n")
        return "".join(out)


def operation(rnd, app, first):
    """One operation that applies to app's current state (and updates it); returns (text, slug)."""
    kind = rnd.random()
    if first or not app.models or kind < 0.01:
        model = "Model%d" % len(app.next_field)
        fields = {}
        for _ in range(rnd.randrange(2, 12)):
            fields[app.new_field_name(model)] = app.field(rnd, model)
        if first and app.swappable and not app.models:
            fields["owner"] = ("models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, "
                               "related_name='+', to=settings.AUTH_USER_MODEL)",
                               "models.ForeignKey(settings.AUTH_USER_MODEL, null=True, "
                               "on_delete=models.CASCADE, related_name='+')")
        app.models[model] = fields
        body = "".join("                ('%s', %s),\n" % (n, f[0]) for n, f in fields.items())
        return ("        migrations.CreateModel(\n            name='%s',\n            fields=[\n"
                "                ('id', models.BigAutoField(auto_created=True, primary_key=True, "
                "serialize=False, verbose_name='ID')),\n%s            ],\n"
                "            options={\n                'ordering': ['-id'],\n            },\n        ),\n"
                % (model, body), model.lower())
    model = rnd.choice(sorted(app.models))
    fields = app.models[model]
    if kind < 0.50 or not fields:
        name = app.new_field_name(model)
        fields[name] = app.field(rnd, model)
        return ("        migrations.AddField(\n            model_name='%s',\n            name='%s',\n"
                "            field=%s,\n        ),\n" % (model.lower(), name, fields[name][0]),
                "%s_%s" % (model.lower(), name))
    if kind < 0.84:
        name = rnd.choice(list(fields))
        if name == "owner":
            name = app.new_field_name(model)
            fields[name] = app.field(rnd, model)
            verb = "AddField"
        else:
            fields[name] = app.field(rnd, model)
            verb = "AlterField"
        return ("        migrations.%s(\n            model_name='%s',\n            name='%s',\n"
                "            field=%s,\n        ),\n" % (verb, model.lower(), name, fields[name][0]),
                "alter_%s_%s" % (model.lower(), name))
    if kind < 0.90 and len(fields) > 1:
        name = rnd.choice([n for n in fields if n != "owner"] or [None])
        if name:
            del fields[name]
            return ("        migrations.RemoveField(\n            model_name='%s',\n            name='%s',\n"
                    "        ),\n" % (model.lower(), name), "remove_%s_%s" % (model.lower(), name))
    if rnd.random() < 0.3:
        return "        migrations.RunPython(forwards),\n", "data"
    return "        migrations.RunPython(forwards, reverse_code=migrations.RunPython.noop),\n", "data"


def file_size(rnd):
    """1-30 KB, skewed small: log-normal with a median of 3 KB."""
    return int(min(30000, max(1000, math.exp(rnd.gauss(math.log(3000), 0.8)))))


def migration(rnd, app, deps, tag):
    """A new migration of app (appended to its chain); returns (name, text)."""
    first = not app.chain
    size = file_size(rnd)
    ops, slugs, body = [], [], 0
    while body < size:
        op, slug = operation(rnd, app, first and not ops)
        ops.append(op)
        slugs.append(slug)
        body += len(op)
    number = len(app.chain) + 1
    slug = "initial" if first else slugs[0] if len(slugs) == 1 else "%s_and_more" % slugs[0]
    name = "%04d_%s%s" % (number, tag, slug)
    dep_text = "".join("        ('%s', '%s'),\n" % d for d in deps)
    if first and app.swappable:
        dep_text = "        migrations.swappable_dependency(settings.AUTH_USER_MODEL),\n" + dep_text
    app.chain.append(name)
    text = ("# Generated by Django 4.2.7 on 2024-01-01 12:00\n\n"
            "from django.conf import settings\nfrom django.db import migrations, models\n"
            "import django.db.models.deletion\n\n\n"
            "def forwards(apps, schema_editor):\n    pass\n\n\n"
            "class Migration(migrations.Migration):\n\n%s    dependencies = [\n%s    ]\n\n"
            "    operations = [\n%s    ]\n") % ("    initial = True\n\n" if first else "",
                                               dep_text, "".join(ops))
    return name, text


class FastImport:
    def __init__(self, out):
        self.out = out
        self.mark = 0
        self.time = 1600000000

    def blob(self, data):
        self.mark += 1
        data = data.encode("utf-8")
        self.out.write(b"blob\nmark :%d\ndata %d\n" % (self.mark, len(data)))
        self.out.write(data + b"\n")
        return self.mark

    def commit(self, ref, message, files, parent=None):
        self.mark += 1
        self.time += 600
        msg = message.encode("utf-8")
        self.out.write(b"commit %s\nmark :%d\n" % (ref.encode(), self.mark))
        self.out.write(b"author Ada <ada@example.com> %d +0000\n" % self.time)
        self.out.write(b"committer Ada <ada@example.com> %d +0000\n" % self.time)
        self.out.write(b"data %d\n%s\n" % (len(msg), msg))
        if parent:
            self.out.write(b"from :%d\n" % parent)
        for path, mark in files.items():
            self.out.write(b"M 100644 :%d %s\n" % (mark, path.encode()))
        return self.mark


class History:
    """Writes one branch's commits: migrations spread evenly over the commits, docs edits between."""

    def __init__(self, rnd, fi, ref, apps, head):
        self.rnd, self.fi, self.ref, self.apps, self.head = rnd, fi, ref, apps, head
        self.marks = [head]
        self.touched = set()

    def run(self, commits, migrations, labels, tag="", start=0):
        made = 0
        for n in range(1, commits + 1):
            files = {}
            while made < migrations * n // commits:
                label = labels[self.rnd.randrange(len(labels))]
                app = self.apps[label]
                deps = [(label, app.chain[-1])] if app.chain else []
                if self.rnd.random() < 0.2:
                    other = self.apps[self.rnd.choice(sorted(self.apps))]
                    if other.label < label and other.chain:
                        deps.append((other.label, other.chain[-1]))
                name, text = migration(self.rnd, app, deps, tag)
                files["%s/migrations/%s.py" % (label, name)] = self.fi.blob(text)
                self.touched.add(label)
                made += 1
            if not files:
                page = (start + n) % 500
                files["docs/page%d.md" % page] = self.fi.blob("page %d revision %d%s\n" % (page, start + n, tag))
            self.head = self.fi.commit(self.ref, "change %d%s" % (start + n, tag), files, parent=self.head)
            self.marks.append(self.head)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--profile", choices=sorted(PROFILES), default="large")
    for key in PROFILES["large"]:
        ap.add_argument("--" + key.replace("_", "-"), type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-checkout", action="store_true", help="leave the work tree empty")
    a = ap.parse_args()
    p = dict(PROFILES[a.profile])
    for key in p:
        if getattr(a, key) is not None:
            p[key] = getattr(a, key)
    rnd = random.Random(a.seed)
    os.makedirs(a.dir, exist_ok=True)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    subprocess.run(["git", "init", "-q", "-b", "main", a.dir], check=True, env=env)
    fi = subprocess.Popen(["git", "-C", a.dir, "fast-import", "--quiet", "--depth=50"],
                          stdin=subprocess.PIPE, env=env)
    f = FastImport(fi.stdin)
    width = max(3, len(str(p["apps"] - 1)))
    labels = ["app%0*d" % (width, i) for i in range(p["apps"])]
    apps = {x: App(x) for x in labels}
    for x in labels:
        apps[x].swappable = rnd.random() < 0.3
    files = {"manage.py": f.blob(MANAGE), "proj/__init__.py": f.blob(""),
             "proj/settings.py": f.blob(SETTINGS % "".join("    '%s',\n" % x for x in labels)),
             "README.md": f.blob("bench repository\n")}
    for x in labels:
        files["%s/__init__.py" % x] = f.blob("")
        files["%s/migrations/__init__.py" % x] = f.blob("")
    main_line = History(rnd, f, "refs/heads/main", apps, f.commit("refs/heads/main", "skeleton", files))

    # main up to the fork point, then the rest of main; each side branch starts from the fork's state
    before = p["commits"] - 1 - p["fork_back"]
    mig_before = p["migrations"] * before // (p["commits"] - 1)
    main_line.run(before, mig_before, labels)
    fork, fork_apps = main_line.head, copy.deepcopy(apps)
    main_line.touched = set()
    main_line.run(p["fork_back"], p["migrations"] - mig_before, labels, start=before)
    models = {"%s/models.py" % x: f.blob(apps[x].models_py()) for x in labels}
    main_line.head = f.commit("refs/heads/main", "models: in line with the migrations", models,
                              parent=main_line.head)
    main_line.marks.append(main_line.head)
    for branch, tag in (("feature", "f_"), ("other", "o_")):
        # one app that main also changed after the fork (a conflict), the rest elsewhere
        shared = sorted(main_line.touched)
        chosen = ([rnd.choice(shared)] if shared else [])
        chosen += rnd.sample([x for x in labels if x not in chosen], p["branch_apps"] - len(chosen))
        side = History(rnd, f, "refs/heads/" + branch, copy.deepcopy(fork_apps), fork)
        side.run(p["branch_commits"], p["branch_migrations"], sorted(chosen), tag=tag, start=before)
    for b in range(p["feature_branches"]):
        # radar's open branches: off main's tip, one or two apps each (a few apps are popular)
        popular = labels[:8]
        chosen = sorted(set(rnd.choice(popular if rnd.random() < 0.5 else labels)
                            for _ in range(1 + rnd.randrange(2))))
        side = History(rnd, f, "refs/heads/radar/f%02d" % b, copy.deepcopy(apps), main_line.head)
        side.run(2, 1 + rnd.randrange(3), chosen, tag="r%02d_" % b, start=p["commits"] + 10 * b)
    f.commit("refs/heads/docs", "docs only", {"README.md": f.blob("bench repository, docs branch\n")},
             parent=main_line.head)
    marks = main_line.marks
    for r in range(p["refs"]):
        f.out.write(b"reset refs/tags/t%05d\nfrom :%d\n\n" % (r, marks[rnd.randrange(len(marks))]))
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    if not a.no_checkout:
        subprocess.run(["git", "-C", a.dir, "checkout", "-q", "main"], check=True, env=env)
    subprocess.run(["git", "-C", a.dir, "gc", "-q"], check=True, env=env)
    total = sum(len(x.chain) for x in apps.values())
    print("%s: profile %s, %d apps, %d migrations on main, %d commits on main, %d tags" % (
        a.dir, a.profile, len(labels), total, len(marks), p["refs"]), file=sys.stderr)


if __name__ == "__main__":
    main()
