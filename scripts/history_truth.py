#!/usr/bin/python3
"""Django's own answer for one exported revision, and the driver that compares it with migdiff.

Used by scripts/history-truth. Two commands:

  history_truth.py truth DIR [--project-root REL] [--settings MODULE] [--path REL]...
                             [--setting NAME=VALUE]... [--no-import]
      Prints one JSON object: Django's leaves per app and its conflicts for the project exported
      into DIR. Run it in a fresh interpreter per revision (it imports the project's code).

  history_truth.py run REPO --name NAME [...]      (see --help): samples revisions and merge
      commits, runs 'truth' and migdiff on each, prints the agreement table.

Which parts are Django's own code and which are this script's:

  Django's own code (3.2.25 from /usr/bin/python3, or whichever Django the interpreter has):
    * AppConfig.create(entry) for every INSTALLED_APPS entry: the app's label and name;
    * MigrationLoader.migrations_module (MIGRATION_MODULES or "<name>.migrations"),
      MigrationLoader.load_disk (the import of the migrations package, the namespace-package and
      "not a package" checks, pkgutil.iter_modules with the "_~" filter, BadMigrationError,
      Migration(name, app_label));
    * MigrationLoader.build_graph (add_internal_dependencies, add_external_dependencies and
      check_key with __first__/__latest__, run_before, replacements, validate_consistency,
      ensure_not_cyclic), MigrationGraph.leaf_nodes and MigrationLoader.detect_conflicts;
    * migrations.swappable_dependency for swappable dependencies.

  This script's own code ("real Django imports what it can; Python's ast reads the rest"):
    * the settings module is executed for real, one top-level statement at a time: a statement
      that raises (a missing third-party package, a missing configuration file, a Python version
      check) is skipped and noted, the others run. Modules that are not in the tree and cannot be
      imported are replaced by permissive stubs (never 'django' and never a package of the tree);
    * each migration module is imported for real the same way when it can be ("import"); when
      importing fails, or gives no Migration class, its class Migration is read with Python's ast
      ("ast"): dependencies, replaces and run_before as literals, names bound to literals,
      '+', settings.NAME, getattr(settings, NAME, default) and swappable_dependency(...). When
      both readers succeed their answers are compared, and a difference is reported;
    * the app registry is filled with the created AppConfigs directly (apps.populate would import
      every models module); apps whose code is not in the tree (django.contrib.*, third-party)
      are "external": every key they are referenced by becomes a stub node, so dependencies on
      them resolve, and they are left out of the answer.
"""
import argparse
import ast
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import types

# ---------------------------------------------------------------------------------------------
# Permissive stubs for modules that are neither installed nor in the tree.


class _StubMeta(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _stub_class(name)

    def __getitem__(cls, key):
        return cls

    def __iter__(cls):
        return iter(())

    def __or__(cls, other):
        return cls

    __ror__ = __or__


class _Stub(metaclass=_StubMeta):
    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _stub_class(name)()

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]  # used as a decorator
        return _Stub()

    def __getitem__(self, key):
        return _Stub()

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __bool__(self):
        return False

    def __str__(self):
        return ""


def _stub_class(name):
    return _StubMeta(str(name), (_Stub,), {})


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith("AppConfig"):
            # A missing package's config class ('from modelsearch.apps import
            # ModelSearchAppConfig'): a plain AppConfig subclass, so that AppConfig.create sees the
            # subclasses the tree derives from it, as it would with the package installed.
            from django.apps import AppConfig
            cls = type(name, (AppConfig,), {"__module__": self.__name__})
            setattr(self, name, cls)
            StubFinder.config_bases.add("%s.%s" % (self.__name__, name))
            return cls
        return _stub_class(name)


class _StubLoader(importlib.abc.Loader):
    def create_module(self, spec):
        module = _StubModule(spec.name)
        module.__path__ = []
        module.__all__ = []
        module.__stub__ = True
        return module

    def exec_module(self, module):
        pass


class StubFinder(importlib.abc.MetaPathFinder):
    """Last on sys.meta_path: a module nobody else found, outside django and the tree, is a stub."""

    config_bases = set()

    def __init__(self, tree_tops):
        self.tree_tops = tree_tops
        self.stubbed = set()

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.split(".")[0]
        if top == "django" or top in self.tree_tops or top in sys.stdlib_module_names:
            return None
        self.stubbed.add(top)
        return importlib.machinery.ModuleSpec(fullname, _StubLoader(), is_package=True)


# ---------------------------------------------------------------------------------------------
# Modules of the tree run one top-level statement at a time; a statement that raises is skipped.


class _TolerantLoader(importlib.machinery.SourceFileLoader):
    skipped = []

    def exec_module(self, module):
        path = self.get_filename(module.__name__)
        with open(path, "rb") as f:
            source = f.read()
        tree = ast.parse(source, path)  # a SyntaxError fails the import, as in Python
        for stmt in tree.body:
            code = compile(ast.Module(body=[stmt], type_ignores=[]), path, "exec")
            try:
                exec(code, module.__dict__)
            except (Exception, SystemExit) as e:  # noqa: BLE001 - skipping is the point
                _TolerantLoader.skipped.append(
                    "%s:%d: %s: %s" % (module.__name__, stmt.lineno, type(e).__name__,
                                       str(e).splitlines()[0][:160] if str(e) else ""))


class TolerantFinder(importlib.abc.MetaPathFinder):
    """First on sys.meta_path: the tree's .py modules load with _TolerantLoader."""

    def __init__(self, roots):
        self.roots = [os.path.realpath(r) + os.sep for r in roots]

    def find_spec(self, fullname, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return spec
        if not any(os.path.realpath(spec.origin).startswith(r) for r in self.roots):
            return spec
        spec.loader = _TolerantLoader(fullname, spec.origin)
        return spec


# ---------------------------------------------------------------------------------------------
# Reading class Migration with ast.


class NotStatic(Exception):
    pass


def _is_swappable(func):
    return (isinstance(func, ast.Attribute) and func.attr == "swappable_dependency") or (
        isinstance(func, ast.Name) and func.id == "swappable_dependency")


class AstMigrationReader:
    """Reads dependencies, replaces and run_before of a migration file's class Migration."""

    ATTRS = ("dependencies", "replaces", "run_before", "initial")

    def __init__(self, settings_value):
        self.settings_value = settings_value  # NAME -> value, or raises KeyError

    def read(self, path):
        with open(path, "rb") as f:
            tree = ast.parse(f.read(), path)
        module_names = {}
        migration = None
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        module_names[target.id] = stmt.value
            elif isinstance(stmt, ast.ClassDef) and stmt.name == "Migration":
                migration = stmt
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    if (alias.asname or alias.name) == "Migration":
                        raise NotStatic("Migration is imported")
        if migration is None:
            return None
        attrs = {}
        class_names = {}
        for stmt in migration.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        if target.id in self.ATTRS:
                            attrs[target.id] = self._eval(stmt.value, class_names, module_names, 0)
                        class_names[target.id] = stmt.value
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) \
                    and isinstance(stmt.op, ast.Add) and stmt.target.id in attrs:
                attrs[stmt.target.id] = attrs[stmt.target.id] + self._eval(
                    stmt.value, class_names, module_names, 0)
        for base in migration.bases:
            name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
            if name != "Migration":
                raise NotStatic("class Migration has the base %s" % ast.dump(base)[:60])
        return attrs

    def _eval(self, node, class_names, module_names, depth):
        if depth > 50:
            raise NotStatic("names nested too deeply")
        ev = lambda n: self._eval(n, class_names, module_names, depth + 1)  # noqa: E731
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.List):
            return [ev(e) for e in node.elts]
        if isinstance(node, ast.Tuple):
            return tuple(ev(e) for e in node.elts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return ev(node.left) + ev(node.right)
        if isinstance(node, ast.Name):
            if node.id in class_names:
                return ev(class_names[node.id])
            if node.id in module_names:
                return ev(module_names[node.id])
            raise NotStatic("name %s" % node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "settings":
            try:
                return self.settings_value(node.attr)
            except KeyError:
                raise NotStatic("settings.%s is not set" % node.attr)
        if isinstance(node, ast.Call) and _is_swappable(node.func) and len(node.args) == 1:
            from django.db import migrations
            return migrations.swappable_dependency(ev(node.args[0]))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "getattr" and len(node.args) in (2, 3) \
                and isinstance(node.args[0], ast.Name) and node.args[0].id == "settings":
            name = ev(node.args[1])
            try:
                return self.settings_value(name)
            except KeyError:
                if len(node.args) == 3:
                    return ev(node.args[2])
                raise NotStatic("settings.%s is not set" % name)
        raise NotStatic("%s at line %d" % (type(node).__name__, getattr(node, "lineno", 0)))


def _normal(value):
    """Dependencies as comparable plain data (SwappableTuple and tuple alike)."""
    if isinstance(value, (list, tuple)):
        return [_normal(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------
# The truth for one tree.


def find_project(tree, root, settings_module):
    """The directory of manage.py and the settings module it names (or the ones given)."""
    if root is None:
        candidates = []
        for dirpath, dirnames, filenames in os.walk(tree):
            depth = os.path.relpath(dirpath, tree).count(os.sep) + (dirpath != tree)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")) if depth < 2 else []
            if "manage.py" in filenames:
                candidates.append((depth, os.path.relpath(dirpath, tree)))
        if not candidates:
            raise SystemExit("no manage.py")
        root = sorted(candidates)[0][1]
    if settings_module is None:
        with open(os.path.join(tree, root, "manage.py"), "rb") as f:
            tree_ast = ast.parse(f.read())
        for node in ast.walk(tree_ast):
            if isinstance(node, ast.Call) and len(node.args) == 2 \
                    and isinstance(node.args[0], ast.Constant) \
                    and node.args[0].value == "DJANGO_SETTINGS_MODULE" \
                    and isinstance(node.args[1], ast.Constant):
                settings_module = node.args[1].value
        if settings_module is None:
            raise SystemExit("manage.py names no settings module")
    return root, settings_module


def truth(args):
    tree = os.path.realpath(args.tree)
    root, settings_module = find_project(tree, args.project_root, args.settings)
    roots = [os.path.normpath(os.path.join(tree, root))] + [
        os.path.normpath(os.path.join(tree, p)) for p in args.path]
    sys.path[:0] = roots
    tree_tops = set()
    for r in roots:
        for entry in os.listdir(r):
            tree_tops.add(entry[:-3] if entry.endswith(".py") else entry)
    stubs = StubFinder(tree_tops)
    sys.meta_path.insert(0, TolerantFinder(roots))
    sys.meta_path.append(stubs)
    os.environ.setdefault("SECRET_KEY", "history-truth-" + "x" * 60)

    import django
    from django.conf import settings

    settings.configure(SECRET_KEY="history-truth-" + "x" * 60, INSTALLED_APPS=[],
                       DATABASES={}, USE_TZ=True)
    django.setup(set_prefix=False)  # an empty registry; the apps are added below
    out = {"django": django.get_version(), "projectRoot": root, "settings": settings_module,
           "skippedStatements": [], "apps": {}, "conflicts": {}, "error": None,
           "readers": {"import": 0, "ast": 0}, "readerMismatches": [], "notes": []}

    project = importlib.import_module(settings_module)
    for name in dir(project):
        if name.isupper():
            setattr(settings, name, getattr(project, name))
    for assignment in args.setting:
        name, _, value = assignment.partition("=")
        if not hasattr(settings, name):
            setattr(settings, name, value)
            out["notes"].append("setting %s not set by the project; assumed %r" % (name, value))
    installed = list(getattr(project, "INSTALLED_APPS", []) or [])
    out["installedApps"] = [e for e in installed if isinstance(e, str)]

    from django.apps import AppConfig, apps

    def in_tree(module):
        # A namespace package (no __init__.py) has no __file__, only __path__.
        places = [getattr(module, "__file__", None)] + list(getattr(module, "__path__", None) or [])
        return any(p and os.path.realpath(p).startswith(tree + os.sep) for p in places)

    configs = []
    external_labels = set()  # installed apps whose code is not in the tree
    for entry in out["installedApps"]:
        try:
            config = AppConfig.create(entry)
        except Exception as e:  # noqa: BLE001
            top = sys.modules.get(entry.split(".")[0])
            if top is not None and in_tree(top):
                out["error"] = "AppConfig.create(%r) failed: %s: %s" % (entry, type(e).__name__, e)
                return out
            # A stubbed package: guess its label as Django's default would give it.
            parts = entry.split(".")
            if len(parts) > 1 and parts[-1][:1].isupper():
                parts = parts[:-2] if len(parts) > 2 and parts[-2] == "apps" else parts[:-1]
            external_labels.add(parts[-1])
            out["notes"].append("external app %r: label guessed as %r" % (entry, parts[-1]))
            continue
        if in_tree(config.module):
            configs.append(config)
        else:
            external_labels.add(config.label)
    labels = {}
    for config in configs:
        if config.label in labels:
            out["error"] = "Application labels aren't unique, duplicates: %s" % config.label
            return out
        labels[config.label] = config
    for config in configs:
        config.apps = apps  # what apps.populate does, without importing the models
        config.models = apps.all_models[config.label]
    apps.app_configs = dict(labels)
    apps.clear_cache()

    from django.db.migrations import loader as loader_module
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.migration import Migration as DjangoMigration

    migration_packages = {}
    for label in labels:
        name, _ = MigrationLoader.migrations_module(label)
        if name is not None:
            migration_packages[name] = label

    def settings_value(name):
        if hasattr(settings, name):
            return getattr(settings, name)
        raise KeyError(name)

    reader = AstMigrationReader(settings_value)
    real_import_module = loader_module.import_module

    def import_module(name, package=None):
        parent, _, short = name.rpartition(".")
        if parent not in migration_packages:
            return real_import_module(name, package)
        package_module = sys.modules[parent]
        path = None
        for d in package_module.__path__:
            if os.path.exists(os.path.join(d, short + ".py")):
                path = os.path.join(d, short + ".py")
                break
        imported = None
        if not args.no_import or path is None:
            before = len(_TolerantLoader.skipped)
            try:
                imported = real_import_module(name, package)
                if not isinstance(getattr(imported, "Migration", None), type):
                    imported = None
            except Exception:  # noqa: BLE001
                imported = None
            del _TolerantLoader.skipped[before:]
        attrs, no_class, ast_error = None, False, "no .py source"
        if path is not None:
            try:
                attrs = reader.read(path)
                if attrs is None:
                    attrs, no_class = {}, True
            except NotStatic as e:
                attrs = None
                ast_error = str(e)
        if imported is not None:
            out["readers"]["import"] += 1
            if attrs is not None and not no_class:
                for key in ("dependencies", "replaces", "run_before"):
                    a = _normal(attrs.get(key, []))
                    b = _normal(list(getattr(imported.Migration, key, [])))
                    if a != b:
                        out["readerMismatches"].append(
                            {"migration": name, "attribute": key, "ast": a, "import": b})
            return imported
        if path is None:
            raise ImportError("cannot import %s and it has no .py source" % name)
        if attrs is None:
            raise ImportError("cannot read %s: %s" % (name, ast_error))
        module = types.ModuleType(name)
        module.__file__ = path
        if not no_class:
            out["readers"]["ast"] += 1
            module.Migration = type("Migration", (DjangoMigration,), dict(attrs))
        return module

    loader_module.import_module = import_module

    class TruthLoader(MigrationLoader):
        """Django's loader; after load_disk, external apps' referenced keys become stub nodes."""

        def load_disk(self):
            super().load_disk()
            external = set()
            for (app, _), migration in list(self.disk_migrations.items()):
                for key in list(migration.dependencies) + list(migration.run_before):
                    if key[0] in labels or key[0] not in external_labels:
                        continue  # a label nobody installs stays unknown, as in Django
                    external.add(key[0])
                    if key[1] not in ("__first__", "__latest__"):
                        self.disk_migrations[tuple(key)] = DjangoMigration(key[1], key[0])
            for app in external:
                if any(k[0] == app for k in self.disk_migrations):
                    self.migrated_apps.add(app)
                else:
                    self.unmigrated_apps.add(app)
            self.external_apps = external

    loader = TruthLoader(None, ignore_no_migrations=True, load=False)
    try:
        loader.build_graph()
    except Exception as e:  # noqa: BLE001
        out["error"] = "%s: %s" % (type(e).__name__, e)
        if getattr(loader, "graph", None) is None or not hasattr(loader, "external_apps"):
            return out
        if type(e).__name__ not in ("NodeNotFoundError", "CircularDependencyError"):
            return out
        out["notes"].append("the graph was complete when Django raised; leaves are still given")
    graph = loader.graph
    for label in sorted(labels):
        if label in loader.unmigrated_apps:
            continue
        leaves = [name for app, name in graph.leaf_nodes(label)
                  if (app, name) in loader.disk_migrations]
        count = sum(1 for k in graph.nodes if k[0] == label)
        if count:
            out["apps"][label] = {"leaves": leaves, "migrations": count}
    out["conflicts"] = {app: names for app, names in loader.detect_conflicts().items()
                        if app in labels}
    out["skippedStatements"] = _TolerantLoader.skipped[:50]
    out["stubbedModules"] = sorted(stubs.stubbed)
    out["stubConfigBases"] = sorted(StubFinder.config_bases)
    return out


def main_truth(argv):
    p = argparse.ArgumentParser(prog="history_truth.py truth")
    p.add_argument("tree")
    p.add_argument("--project-root")
    p.add_argument("--settings")
    p.add_argument("--path", action="append", default=[],
                   help="another directory of the tree for sys.path (e.g. src)")
    p.add_argument("--setting", action="append", default=[],
                   help="NAME=VALUE for a setting the project leaves to its environment")
    p.add_argument("--no-import", action="store_true",
                   help="read every migration with ast (no real import of migration modules)")
    args = p.parse_args(argv)
    stdout = sys.stdout
    sys.stdout = sys.stderr  # project code may print; the JSON goes to the real stdout
    try:
        result = truth(args)
    except SystemExit as e:
        result = {"error": "cannot read the project: %s" % e, "apps": {}, "conflicts": {}}
    except BaseException as e:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        result = {"error": "truth failed: %s: %s" % (type(e).__name__, str(e)[:300]),
                  "apps": {}, "conflicts": {}}
    json.dump(result, stdout, sort_keys=True)
    stdout.write("\n")
    stdout.flush()
    os._exit(0)  # project code may leave threads behind


# ---------------------------------------------------------------------------------------------
# The driver: sample revisions and merges, run the truth and migdiff, compare.

import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
EXCLUDED = ("png jpg jpeg gif svg ico woff woff2 ttf eot otf js jsx ts tsx css scss less map mo po "
            "html pdf mp4 webm webp zip gz tgz graphql snap csv xml sqlite3 db").split()
GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="history-truth", GIT_AUTHOR_EMAIL="truth@invalid",
               GIT_COMMITTER_NAME="history-truth", GIT_COMMITTER_EMAIL="truth@invalid",
               GIT_AUTHOR_DATE="2000-01-01T00:00:00Z", GIT_COMMITTER_DATE="2000-01-01T00:00:00Z",
               LC_ALL="C")


def git(repo, *args, check=True, env=None, input=None):
    r = subprocess.run(["git", "-C", repo] + list(args), capture_output=True, env=env or GIT_ENV,
                       input=input)
    if check and r.returncode != 0:
        raise RuntimeError("git %s: %s" % (" ".join(args), r.stderr.decode(errors="replace")))
    return r


def lines(repo, *args):
    return git(repo, *args).stdout.decode().split()


def evenly(items, n):
    if n <= 0 or not items:
        return []
    if len(items) <= n:
        return list(items)
    step = (len(items) - 1) / (n - 1) if n > 1 else 0
    return [items[round(i * step)] for i in range(n)]


def touches_migrations(repo, a, b):
    r = git(repo, "diff", "--name-only", "--no-renames", a, b, check=False)
    return any("/migrations/" in "/" + f for f in r.stdout.decode(errors="replace").splitlines())


def missing_blobs(repo, treeish):
    """Paths whose blobs the repository lacks (a mirror may leave its largest files out)."""
    listing = git(repo, "ls-tree", "-r", "-z", treeish).stdout.split(b"\0")
    entries = [e.decode(errors="surrogateescape").split("\t", 1) for e in listing if e]
    blobs = [(meta.split()[2], path) for meta, path in entries if meta.split()[1] == "blob"]
    check = git(repo, "cat-file", "--batch-check=%(objectname) %(objecttype)",
                input="".join(oid + "\n" for oid, _ in blobs).encode()).stdout.decode().splitlines()
    return [path for (oid, path), line in zip(blobs, check) if line.endswith(" missing")]


def export(repo, treeish, dest):
    spec = ["."] + [":(exclude,glob)**/*.%s" % e for e in EXCLUDED]
    spec += [":(exclude,literal)" + p for p in missing_blobs(repo, treeish)]
    archive = subprocess.Popen(["git", "-C", repo, "archive", treeish, "--"] + spec,
                               stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", dest], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise RuntimeError("git archive %s failed" % treeish)


DJANGO_PIN = re.compile(r'(?im)^\s*["\']?django\s*(?:\[[^]]*\])?\s*(?:==|~=|>=|===)\s*(\d+)\.(\d+)')
DJANGO_LOCK = re.compile(r'(?im)^name\s*=\s*"django"\s*\n+version\s*=\s*"(\d+)\.(\d+)')


def django_series(tree, root):
    """'3.2' when the revision pins a Django older than 4.1, else '5.2' (the rules in between
    that matter here, default_app_config, changed in 4.1)."""
    names = ["uv.lock", "poetry.lock", "requirements.txt", "requirements/base.txt",
             "requirements/production.txt", "requirements/prod.txt", "requirements/common.txt",
             "requirements_base.txt", "pyproject.toml", "setup.cfg", "setup.py", "Pipfile"]
    for d in ([root, ""] if root not in (None, "", ".") else [""]):
        for name in names:
            path = os.path.join(tree, d, name)
            if not os.path.isfile(path):
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            m = DJANGO_LOCK.search(text) or DJANGO_PIN.search(text)
            if m:
                return "3.2" if (int(m.group(1)), int(m.group(2))) < (4, 1) else "5.2"
    return "5.2"


def run_truth(opts, project, tree, series):
    python = opts.python32 if series == "3.2" else opts.python52
    cmd = [python, os.path.join(HERE, "history_truth.py"), "truth", tree]
    if project[0]:
        cmd += ["--project-root", project[0]]
    if project[1]:
        cmd += ["--settings", project[1]]
    for p in opts.path:
        cmd += ["--path", p]
    for s in opts.setting:
        cmd += ["--setting", s]
    if opts.no_import:
        cmd.append("--no-import")
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=opts.timeout, cwd=tree,
                           env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1",
                                    PYTHONWARNINGS="ignore"))
    except subprocess.TimeoutExpired:
        return {"error": "truth timed out after %ds" % opts.timeout, "apps": {}, "conflicts": {}}
    try:
        return json.loads(r.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": "truth crashed: " + r.stderr.decode(errors="replace")[-300:],
                "apps": {}, "conflicts": {}}


def run_migdiff(opts, project, repo, series, *args):
    cmd = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    jsa = os.path.splitext(opts.jar)[0] + ".jsa"  # scripts/migdiff's class-data archive
    if os.path.isfile(jsa):
        cmd += ["-Xshare:auto", "-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off"]
    cmd += ["-cp", opts.jar, "dev.migdiff.cli.Main", "-C", repo]
    cmd += list(args) + ["--format", "json", "--django-version", series]
    if project[0]:
        cmd += ["--project-root", project[0]]
    if project[1]:
        cmd += ["--settings", project[1]]
    r = subprocess.run(cmd, capture_output=True, timeout=opts.timeout)
    if r.returncode not in (0, 1):
        return None, "migdiff exit %d: %s" % (r.returncode,
                                              r.stderr.decode(errors="replace").strip()[:300])
    return json.loads(r.stdout.decode()), None


ERRORS = (("NodeNotFoundError", "dangling-dependency"),
          ("CircularDependencyError", "circular-dependency"))


def compare(django, migdiff_graph):
    """Disagreements between Django's answer and 'migdiff graph --format json', per app; and
    whether both find the graph broken the same way (Django raises the first error it meets, so
    only "Django raises X" => "migdiff reports X's code" and "no error at all" are compared)."""
    diffs = []
    codes = {p["code"] for p in migdiff_graph["problems"] if p["severity"] == "error"}
    error = django.get("error") or ""
    for exception, code in ERRORS:
        if error.startswith(exception) and code not in codes:
            diffs.append({"app": "(graph)", "migdiff": "no " + code, "django": error[:160]})
    if not error and codes & {code for _, code in ERRORS}:
        diffs.append({"app": "(graph)", "migdiff": sorted(codes & {c for _, c in ERRORS}),
                      "django": "no error"})
    ours = {a["app"]: sorted(a["leaves"]) for a in migdiff_graph["apps"] if a["migrations"]}
    theirs = {app: sorted(v["leaves"]) for app, v in django["apps"].items()}
    for app in sorted(set(ours) | set(theirs)):
        if ours.get(app) != theirs.get(app):
            diffs.append({"app": app, "migdiff": ours.get(app), "django": theirs.get(app)})
    ours_c = {c["app"]: sorted(c["leaves"]) for c in migdiff_graph["conflicts"]}
    theirs_c = {app: sorted(v) for app, v in django["conflicts"].items()}
    for app in sorted(set(ours_c) | set(theirs_c)):
        if ours_c.get(app) != theirs_c.get(app) and not any(d["app"] == app for d in diffs):
            diffs.append({"app": app, "conflict": True, "migdiff": ours_c.get(app),
                          "django": theirs_c.get(app)})
    return diffs


def preview_diffs(django, preview):
    ours = {c["app"]: sorted(c["leaves"]) for c in preview["merge"]["conflicts"]}
    theirs = {app: sorted(v) for app, v in django["conflicts"].items()}
    return [{"app": app, "conflict": True, "migdiff": ours.get(app), "django": theirs.get(app)}
            for app in sorted(set(ours) | set(theirs)) if ours.get(app) != theirs.get(app)]


def merged_tree(scratch, p1, p2):
    """git merge-tree's tree for P1 and P2, with P1's version ("ours") of each conflicted path,
    as a commit with both parents; and the conflicted paths."""
    r = git(scratch, "merge-tree", "--write-tree", "--name-only", "--no-messages", p1, p2,
            check=False)
    if r.returncode not in (0, 1):
        raise RuntimeError("merge-tree: " + r.stderr.decode(errors="replace"))
    out = r.stdout.decode(errors="replace").splitlines()
    tree, conflicted = out[0], sorted(set(x for x in out[1:] if x))
    if conflicted:
        index = tempfile.mktemp(prefix="truth-index-")
        env = dict(GIT_ENV, GIT_INDEX_FILE=index)
        try:
            git(scratch, "read-tree", tree, env=env)
            info = []
            for path in conflicted:
                ls = git(scratch, "ls-tree", p1, "--", path).stdout.decode().split()
                if ls and ls[1] == "blob":
                    info.append("%s %s\t%s\n" % (ls[0], ls[2], path))
                else:  # mode 0 removes the path (update-index --force-remove needs a work tree)
                    info.append("0 %s\t%s\n" % ("0" * 40, path))
            git(scratch, "update-index", "--index-info", env=env, input="".join(info).encode())
            tree = git(scratch, "write-tree", env=env).stdout.decode().strip()
        finally:
            if os.path.exists(index):
                os.remove(index)
    commit = git(scratch, "commit-tree", tree, "-p", p1, "-p", p2,
                 input=b"history-truth merge\n").stdout.decode().strip()
    return commit, conflicted


def choose_project(opts, tree):
    """The first --project-root candidate that holds manage.py (or a settings candidate), and the
    first --settings candidate whose module exists there (or on a --path); None = let both find it."""
    roots = opts.project_root.split(",") if opts.project_root else [None]
    settings = opts.settings.split(",") if opts.settings else [None]
    for root in roots:
        base = os.path.join(tree, root or "")
        for module in settings:
            if module is None:
                if root is None or os.path.isfile(os.path.join(base, "manage.py")):
                    return root, None
                continue
            rel = module.replace(".", "/")
            for d in [base] + [os.path.join(tree, p) for p in opts.path]:
                if os.path.isfile(os.path.join(d, rel + ".py")) or os.path.isfile(
                        os.path.join(d, rel, "__init__.py")):
                    return root, module
    return roots[0], settings[0]


def one_case(opts, scratch, kind, rev, parents, work):
    case = {"kind": kind, "rev": rev, "parents": parents}
    tree_dir = os.path.join(work, "tree")
    shutil.rmtree(tree_dir, ignore_errors=True)
    os.makedirs(tree_dir)
    target = rev
    if kind == "merge":
        target, conflicted = merged_tree(scratch, parents[0], parents[1])
        case["textConflicts"] = conflicted
        case["mergedCommit"] = target
    export(scratch, target, tree_dir)
    project = choose_project(opts, tree_dir)
    series = opts.django or django_series(tree_dir, project[0])
    case["django"] = series
    t0 = time.time()
    django = run_truth(opts, project, tree_dir, series)
    case["truthSeconds"] = round(time.time() - t0, 1)
    case["readers"] = django.get("readers")
    if django.get("readerMismatches"):
        case["readerMismatches"] = django["readerMismatches"]
    graph, failure = run_migdiff(opts, project, scratch, series, "graph", target)
    if failure:
        case.update(status="skipped", reason=failure)
        return case
    case["migdiffProblems"] = sorted({p["code"] for p in graph["problems"]})
    if django.get("error") and not django.get("apps"):
        case.update(status="skipped", reason="Django: " + django["error"][:300])
        return case
    if django.get("error"):
        case["djangoError"] = django["error"][:300]
    case["djangoConflicts"] = django["conflicts"]
    case["diffs"] = compare(django, graph)
    case["apps"] = len(django["apps"])
    case["status"] = "disagree" if case["diffs"] else "agree"
    if kind == "merge":
        preview, failure = run_migdiff(opts, project, scratch, series, parents[0], parents[1])
        if failure:
            case["preview"] = {"status": "skipped", "reason": failure}
        else:
            pd = preview_diffs(django, preview)
            case["preview"] = {"status": "disagree" if pd else "agree", "diffs": pd}
    return case


def pick(opts, repo):
    revs = lines(repo, "rev-list", "--first-parent", "--max-count=%d" % opts.window, opts.ref)
    revisions = evenly(revs, opts.revisions)
    if opts.only_merges is not None:
        chosen = [(m, lines(repo, "rev-list", "--parents", "-n", "1", m)[1:])
                  for m in opts.only_merges.split(",") if m]
        return [], chosen, 0, 0
    merges = lines(repo, "rev-list", "--merges", "--max-count=%d" % opts.merge_window, opts.ref)
    both, one = [], []
    for m in merges:
        parents = lines(repo, "rev-list", "--parents", "-n", "1", m)[1:]
        if len(parents) != 2:
            continue
        base = git(repo, "merge-base", parents[0], parents[1], check=False).stdout.decode().strip()
        if not base:
            continue
        a = touches_migrations(repo, base, parents[0])
        b = touches_migrations(repo, base, parents[1])
        if a and b:
            both.append((m, parents))
        elif a or b:
            one.append((m, parents))
    chosen = evenly(both, opts.merges)
    chosen += evenly(one, opts.merges - len(chosen))
    return revisions, chosen, len(both), len(one)


def main_run(argv):
    p = argparse.ArgumentParser(prog="scripts/history-truth")
    p.add_argument("repo")
    p.add_argument("--name")
    p.add_argument("--ref", default="HEAD")
    p.add_argument("--revisions", type=int, default=40)
    p.add_argument("--merges", type=int, default=20)
    p.add_argument("--window", type=int, default=3000,
                   help="revisions are sampled evenly from the newest WINDOW first-parent commits")
    p.add_argument("--merge-window", type=int, default=400,
                   help="merges are picked from the newest MERGE_WINDOW merge commits, those whose "
                        "both sides touched migrations first")
    p.add_argument("--project-root")
    p.add_argument("--settings")
    p.add_argument("--path", action="append", default=[])
    p.add_argument("--setting", action="append", default=[])
    p.add_argument("--django", choices=["3.2", "5.2"],
                   help="the Django whose rules both sides use (default: by the revision's pin)")
    p.add_argument("--python32", default="/usr/bin/python3")
    p.add_argument("--python52", default=os.environ.get("TRUTH_PYTHON52", "/usr/bin/python3"))
    p.add_argument("--no-import", action="store_true")
    p.add_argument("--only-merges", metavar="SHA,...",
                   help="check just these merge commits (no sampling)")
    p.add_argument("--timeout", type=int, default=600)
    p.add_argument("--jar", default=os.path.join(HERE, "..", "target", "migdiff.jar"))
    p.add_argument("--out", default=os.path.join(HERE, "..", "target", "history-truth"))
    opts = p.parse_args(argv)
    repo = os.path.abspath(opts.repo)
    name = opts.name or os.path.basename(repo.rstrip("/"))
    os.makedirs(opts.out, exist_ok=True)
    scratch = os.path.join(os.path.abspath(opts.out), "scratch", name + ".git")
    if not os.path.isdir(scratch):
        subprocess.run(["git", "init", "-q", "--bare", scratch], check=True)
    objects = git(repo, "rev-parse", "--git-path", "objects").stdout.decode().strip()
    with open(os.path.join(scratch, "objects", "info", "alternates"), "w") as f:
        f.write(os.path.abspath(os.path.join(repo, objects) if not os.path.isabs(objects)
                                else objects) + "\n")
    revisions, merges, both, one = pick(opts, repo)
    sys.stderr.write("%s: %d revisions, %d merges (%d with migrations on both sides, %d on one)\n"
                     % (name, len(revisions), len(merges), both, one))
    cases = []
    work = tempfile.mkdtemp(prefix="history-truth-")
    details = os.path.join(opts.out, name + ".jsonl")
    try:
        with open(details, "w") as log:
            todo = [("revision", r, []) for r in revisions] + [("merge", m, ps) for m, ps in merges]
            for i, (kind, rev, parents) in enumerate(todo):
                try:
                    case = one_case(opts, scratch, kind, rev, parents, work)
                except Exception as e:  # noqa: BLE001
                    case = {"kind": kind, "rev": rev, "status": "skipped",
                            "reason": "driver: %s: %s" % (type(e).__name__, e)}
                cases.append(case)
                log.write(json.dumps(case, sort_keys=True) + "\n")
                log.flush()
                sys.stderr.write("%s %d/%d %s %s %s\n" % (name, i + 1, len(todo), kind, rev[:10],
                                                          case["status"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(summary(name, cases))
    return 0


def summary(name, cases):
    out = []
    rev = [c for c in cases if c["kind"] == "revision"]
    mer = [c for c in cases if c["kind"] == "merge"]
    count = lambda cs, s: sum(1 for c in cs if c["status"] == s)  # noqa: E731
    prev = [c["preview"] for c in mer if "preview" in c]
    # Agreement on the apps both sides have: separates finding the apps (settings, labels) from
    # the graph rules (leaves and conflicts of an app both know).
    shared = lambda cs: sum(1 for c in cs if c["status"] == "agree" or (  # noqa: E731
        c["status"] == "disagree" and all(d["migdiff"] is None or d["django"] is None
                                          for d in c["diffs"])))
    out.append("| project | revisions agree/compared | merges agree/compared | "
               "agree on the apps both have | skipped | merge preview agrees | "
               "migration reads import/ast | reader mismatches |")
    out.append("|---|---|---|---|---|---|---|---|")
    imp = sum((c.get("readers") or {}).get("import", 0) for c in cases)
    ast_ = sum((c.get("readers") or {}).get("ast", 0) for c in cases)
    mism = sum(len(c.get("readerMismatches", [])) for c in cases)
    out.append("| %s | %d/%d | %d/%d | %d/%d | %d | %d/%d | %d/%d | %d |" % (
        name, count(rev, "agree"), count(rev, "agree") + count(rev, "disagree"),
        count(mer, "agree"), count(mer, "agree") + count(mer, "disagree"),
        shared(cases), count(cases, "agree") + count(cases, "disagree"),
        count(cases, "skipped"), sum(1 for p in prev if p["status"] == "agree"),
        sum(1 for p in prev if p["status"] != "skipped"), imp, ast_, mism))
    groups = {}
    for c in cases:
        for d in c.get("diffs", []) if c["status"] == "disagree" else []:
            what = ("graph errors differ" if d["app"] == "(graph)" else
                    "only Django has the app" if d["migdiff"] is None else
                    "only migdiff has the app" if d["django"] is None else
                    "conflict lists differ" if d.get("conflict") else "leaves differ")
            groups.setdefault((d["app"], what), []).append((c, d))
    for (app, what), items in sorted(groups.items()):
        c, d = items[0]
        codes = sorted(set.intersection(*(set(x.get("migdiffProblems", [])) for x, _ in items)))
        out.append("- disagree, app %s, %s: %d case(s), e.g. %s %s: migdiff %s, Django %s%s" % (
            app, what, len(items), c["kind"], c["rev"][:12], _short(d["migdiff"]),
            _short(d["django"]), "; migdiff's findings in all: " + ", ".join(codes) if codes else ""))
    for c in cases:
        if c["status"] == "skipped":
            out.append("- skipped %s %s: %s" % (c["kind"], c["rev"][:12], c["reason"]))
        if c.get("preview", {}).get("status") == "disagree":
            for d in c["preview"]["diffs"]:
                out.append("- preview differs %s %s app %s: migdiff %s, Django on git's merge %s"
                           " (text conflicts: %d)" % (c["kind"], c["rev"][:12], d["app"],
                                                      d["migdiff"], d["django"],
                                                      len(c.get("textConflicts", []))))
        if c.get("readerMismatches"):
            out.append("- reader mismatch %s %s: %s" % (c["kind"], c["rev"][:12],
                                                        json.dumps(c["readerMismatches"][:3])))
    return "\n".join(out)


def _short(leaves):
    if leaves is None or len(leaves) <= 3:
        return leaves
    return leaves[:3] + ["... %d in all" % len(leaves)]


def main_compare(argv):
    """Re-print the summary of a finished run from its NAME.jsonl."""
    for path in argv:
        with open(path) as f:
            cases = [json.loads(line) for line in f if line.strip()]
        print(summary(os.path.basename(path)[:-6], cases))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "truth":
        main_truth(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "run":
        sys.exit(main_run(sys.argv[2:]))
    elif len(sys.argv) > 1 and sys.argv[1] == "compare":
        sys.exit(main_compare(sys.argv[2:]))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
