package dev.migdiff.django;

import dev.migdiff.python.Position;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a Django project from one revision the way {@code MigrationLoader.load_disk} would: the
 * settings module from manage.py, its literal INSTALLED_APPS, each app's label and migrations
 * module, and every migration in it. Falls back to every migrations package in the tree when no
 * settings can be read, and says so.
 */
public final class ProjectLoader {
  private final SourceTree tree;
  private final DjangoConfig config;
  private final ParseCache cache;
  private final List<Problem> problems = new ArrayList<>();
  /** The apps when already known (see {@link #loadWithApps}), else null. */
  private DjangoProject known;

  private ProjectLoader(SourceTree tree, DjangoConfig config, ParseCache cache) {
    this.tree = tree;
    this.config = config;
    this.cache = cache;
  }

  public static DjangoProject load(SourceTree tree, DjangoConfig config) throws IOException {
    return load(tree, config, new ParseCache());
  }

  /**
   * Loads with a cache shared by the revisions of one run: a file unchanged between them is
   * parsed once.
   */
  public static DjangoProject load(SourceTree tree, DjangoConfig config, ParseCache cache)
      throws IOException {
    return new ProjectLoader(tree, config, cache).load();
  }

  /**
   * Loads a tree that differs from one already read ({@code layout}) only inside migrations
   * packages: the settings are read again (migrations consult them), the apps are taken from
   * {@code layout} instead of being resolved again. Radar reads hundreds of merged trees of one
   * project this way.
   */
  public static DjangoProject loadWithApps(SourceTree tree, DjangoConfig config, ParseCache cache,
      DjangoProject layout) throws IOException {
    ProjectLoader l = new ProjectLoader(tree, config, cache);
    l.known = layout;
    return l.load();
  }

  private DjangoProject load() throws IOException {
    String root = known != null ? known.projectRoot() : config.projectRoot();
    if (root == null && known == null) {
      root = ProjectLocator.findManagePy(tree).orElse(null);
    }
    String settingsModule = known != null ? known.settingsModule() : config.settingsModule();
    if (settingsModule == null && root != null && known == null) {
      settingsModule = ProjectLocator.settingsFromManagePy(tree, root, cache.store).orElse(null);
    }
    SourceFiles files = new SourceFiles(tree, roots(root), cache.modules, cache.store);
    Settings settings = null;
    if (settingsModule != null) {
      settings = settings(files, settingsModule, root);
    } else {
      problems.add(Problem.warning("settings-not-found", root == null ? null
              : SourceTree.join(root, "manage.py"), null,
          root == null ? "no manage.py found" : "manage.py does not set DJANGO_SETTINGS_MODULE")
          .withHint("set settings in [tool.migdiff] or pass --settings; until then migdiff uses "
              + "every migrations package in the tree"));
    }
    List<App> apps;
    boolean closedWorld;
    if (known != null) {
      apps = known.apps();
      closedWorld = known.closedWorld();
    } else if (settings != null && settings.installedApps() != null) {
      AppResolver resolver = new AppResolver(files, config, settings, problems);
      apps = resolver.resolve(settings.installedApps());
      closedWorld = resolver.labelsCertain();
      if (!settings.uncertain().isEmpty()) {
        apps = withUncertain(apps, settings, files, resolver);
        closedWorld = false;
      }
    } else {
      apps = new FallbackDiscovery(files, config, problems).discover();
      closedWorld = false;
    }
    Settings s = settings;
    java.util.function.Function<String, PyValue> consulted = name -> {
      cache.settingsRead.add(name);
      return setting(s, name);
    };
    MigrationReader reader = new MigrationReader(consulted);
    StoredMigrations stored = new StoredMigrations(cache, files, reader, name -> setting(s, name));
    String context = context(s, cache);
    // The run's cache keys name the settings by a short number: the same text always gets the
    // same number, and hashing and comparing the keys of thousands of migrations per reading then
    // stays cheap however many settings the migrations consulted.
    String contextNo = cache.contexts.computeIfAbsent(context, c -> "#" + cache.contexts.size());
    List<Migration> migrations = new ArrayList<>();
    List<Job> jobs = new ArrayList<>();
    Map<String, List<Job>> toStore = new LinkedHashMap<>();
    List<AppPart> parts = new ArrayList<>();
    // Directories whose stored readings are to be fetched, by their stored key, in app order.
    Map<String, List<Job>> toFetch = new LinkedHashMap<>();
    for (App app : apps) {
      if (app.state() != App.State.MIGRATED) {
        continue;
      }
      // Within the run: an app whose migrations directory another revision already read (the
      // same tree id, label, path and settings) has the same readings; FROM, TO, their merge
      // base and the merge share nearly every app.
      // The readings depend on the settings they consulted: the entry keeps the values of every
      // setting consulted by the end of its reading, and is used only where they are the same.
      String seenKey = tree.entry(app.migrationsPath())
          .filter(d -> d.kind() == SourceTree.Kind.DIR && ObjectCache.isObjectId(d.id()))
          .map(d -> d.id() + "\0" + app.label() + "\0" + app.migrationsPath())
          .orElse(null);
      ParseCache.AppReading seen = seenKey == null ? null : cache.apps.get(seenKey);
      if (seen != null && sameSettings(seen, s)) {
        problems.addAll(seen.listing());
        parts.add(new AppPart(app.label(), null, null, List.of(), List.of(), seen));
        continue;
      }
      int firstProblem = problems.size();
      int first = jobs.size();
      for (MigrationNames.Found f : MigrationNames.list(tree, app.migrationsPath())) {
        String path = SourceTree.join(app.migrationsPath(), f.entry().name());
        MigrationKey key = new MigrationKey(app.label(), f.name());
        if (!f.entry().name().endsWith(".py")) {
          problems.add(Problem.warning("unreadable-migration", path, null,
              "Django loads " + key + " from a compiled or linked module that migdiff cannot read")
              .withHint("remove the stray file, or commit its source instead"));
          continue;
        }
        if (f.entry().kind() != SourceTree.Kind.FILE) {
          problems.add(Problem.warning("unreadable-migration", path, null,
              key + " is a " + f.entry().kind().name().toLowerCase(java.util.Locale.ROOT)
                  + ", not a file; migdiff does not follow it"));
          continue;
        }
        jobs.add(new Job(key, path, f.entry()));
      }
      // Between runs: the readings of a whole migrations directory, by its tree id (a merged
      // tree's directory, which has none: by its entries' ids).
      List<Job> appJobs = List.copyOf(jobs.subList(first, jobs.size()));
      String keyOfDir = null;
      if (!appJobs.isEmpty()) {
        String dirId = tree.entry(app.migrationsPath()).map(SourceTree.Entry::id).orElse(null);
        if (dirId != null && !ObjectCache.isObjectId(dirId)) {
          // a merged tree's directory: named by its entries (listed already, above)
          dirId = StoredMigrations.listingId(tree, app.migrationsPath());
        }
        keyOfDir = dirId == null ? null
            : stored.key(dirId, app.label(), app.migrationsPath(), context);
      }
      String dirKey = keyOfDir;
      if (dirKey != null) {
        appJobs.forEach(j -> j.dirKey = dirKey);
      }
      String readingsDir = app.label() + "\0" + app.migrationsPath() + "\0";
      String readingsKey = readingsDir + contextNo;
      parts.add(new AppPart(app.label(), seenKey, readingsDir, appJobs,
          List.copyOf(problems.subList(firstProblem, problems.size())), null));
      // Readings of these files made earlier in the run (in another version of the directory)
      Map<ParseCache.FileId, MigrationReader.Result> earlier = cache.earlier(readingsKey);
      boolean missing = earlier == null && !appJobs.isEmpty();
      for (Job j : earlier == null ? List.<Job>of() : appJobs) {
        j.result = earlier.get(new ParseCache.FileId(j.entry.name(), j.entry.id()));
        missing |= j.result == null;
      }
      if (missing && dirKey != null && !cache.storedDirs.contains(dirKey)) {
        toFetch.putIfAbsent(dirKey, appJobs);
      }
    }
    // Between runs: each directory's stored readings, decoded on every core (a project of 500
    // apps decodes 500 entries), then used in app order on this thread.
    List<String> fetchKeys = new ArrayList<>(toFetch.keySet());
    List<List<Job>> fetchJobs = new ArrayList<>(toFetch.values());
    MigrationCodec.Decoded[] fetched = new MigrationCodec.Decoded[fetchKeys.size()];
    java.util.stream.IntStream range = java.util.stream.IntStream.range(0, fetched.length);
    (fetched.length >= PARALLEL_FETCH ? range.parallel() : range)
        .forEach(i -> fetched[i] = stored.fetch(fetchKeys.get(i), fetchJobs.get(i)));
    for (int i = 0; i < fetched.length; i++) {
      String dirKey = fetchKeys.get(i);
      List<Job> appJobs = fetchJobs.get(i);
      if (fetched[i] == null || !stored.use(dirKey, fetched[i], appJobs)) {
        toStore.put(dirKey, appJobs);
      }
    }
    // Read what is not cached yet in the order that is fastest to read, then keep load order.
    List<SourceTree.Entry> toRead = new ArrayList<>();
    Map<String, List<Job>> byContent = new HashMap<>();
    for (Job j : jobs) {
      if (j.result == null) {
        List<Job> same = byContent.get(j.entry.id());
        if (same == null) {
          toRead.add(j.entry);
          byContent.put(j.entry.id(), same = new ArrayList<>());
        }
        same.add(j);
      }
    }
    List<SourceTree.Entry> order = tree.readOrder(toRead);
    List<dev.migdiff.python.Module> skims = files.skimMigrations(order,
        done -> cache.progress.files(done, toRead.size()));
    for (int i = 0; i < order.size(); i++) {
      SourceTree.Entry e = order.get(i);
      for (Job j : byContent.get(e.id())) {
        j.result = stored.storingOperations(read(reader, j, skims.get(i), files), j.dirKey);
      }
    }
    // These readings serve a later revision of the run whose settings agree on every setting
    // consulted so far: the context it starts with. That is this revision's context now, after
    // its own readings consulted theirs, not the one it started with (before them, the first
    // revision's consulted none): else TO, whose context names what FROM's readings consulted,
    // read again every file of a directory it changed one file of (huge: a branch that changes
    // one migration read the 200 of its app again).
    String contextAfter = context(s, cache);
    String afterNo = contextAfter.equals(context) ? null
        : cache.contexts.computeIfAbsent(contextAfter, c -> "#" + cache.contexts.size());
    for (AppPart part : parts) {
      if (!part.jobs().isEmpty()) {
        cache.remember(part.readingsDir() + contextNo, part.jobs());
        if (afterNo != null) {
          cache.remember(part.readingsDir() + afterNo, part.jobs());
        }
      }
    }
    toStore.forEach(stored::save);
    // the settings consulted so far and their values here, as the entries made below keep them
    Lazy<Map<String, String>> consultedNow = new Lazy<>(() -> {
      Map<String, String> values = new LinkedHashMap<>();
      values.put("AUTH_USER_MODEL", String.valueOf(setting(s, "AUTH_USER_MODEL")));
      for (String name : cache.settingsRead) {
        values.put(name, String.valueOf(setting(s, name)));
      }
      return values;
    });
    Map<String, List<Migration>> byApp = new LinkedHashMap<>();
    for (AppPart part : parts) {
      List<Problem> found;
      List<Migration> own;
      if (part.seen() != null) {
        found = part.seen().problems();
        own = part.seen().migrations();
      } else {
        List<Problem> met = new ArrayList<>();
        List<Migration> read = new ArrayList<>(part.jobs().size());
        for (Job j : part.jobs()) {
          met.addAll(j.result.problems());
          if (j.result.migration() != null) {
            read.add(j.result.migration());
          }
        }
        found = List.copyOf(met);
        own = List.copyOf(read);
        if (part.seenKey() != null) {
          cache.apps.put(part.seenKey(), new ParseCache.AppReading(part.listing(), found, own,
              consultedNow.get()));
        }
      }
      problems.addAll(found);
      migrations.addAll(own);
      byApp.merge(part.label(), own, (a, b) -> {
        List<Migration> both = new ArrayList<>(a);
        both.addAll(b);
        return List.copyOf(both);
      });
    }
    return new DjangoProject(root, settings == null ? null : settingsModule, apps, migrations,
        closedWorld, List.copyOf(problems), clock(settings), byApp);
  }

  /**
   * The settings module read statically, once per content: a reading depends only on the answers
   * of the lookups it made (each file's kind and content id, or its absence), so a tree that
   * answers all of them alike reads the same settings, with the same problems. Radar reads the
   * same settings in hundreds of merged trees.
   */
  private Settings settings(SourceFiles files, String module, String root) throws IOException {
    // This run's readings of the module first, then those earlier runs kept (fetched once)
    String storedKey = StoredSettings.key(module, roots(root), config.environment());
    List<StoredSettings.Kept> known = cache.settings.computeIfAbsent(storedKey,
        k -> new ArrayList<>(StoredSettings.fetch(cache.store, k)));
    for (StoredSettings.Kept k : known) {
      ParseCache.SettingsReading r = answersAlike(k.lookups()) ? k.reading() : null;
      if (r != null) {
        problems.addAll(r.problems());
        return r.settings();
      }
    }
    int first = problems.size();
    files.record();
    Settings s;
    Map<String, String> lookups;
    try {
      s = Settings.read(files, module, config.environment(), problems);
    } finally {
      lookups = files.stopRecording();
    }
    known.add(0, new StoredSettings.Kept(new ParseCache.SettingsReading(lookups, s,
        List.copyOf(problems.subList(first, problems.size())))));
    if (known.size() > MAX_SETTINGS_READINGS) {
      known.remove(known.size() - 1); // (a sweep of revisions with ever new settings)
    }
    cache.settingsChanged.add(storedKey); // (stored at the end of the run, once per module)
    return s;
  }

  /** Bounds the settings readings kept per settings module (each is checked in turn). */
  private static final int MAX_SETTINGS_READINGS = 256;
  /** Fewer directories than this are fetched from the store on this thread alone. */
  private static final int PARALLEL_FETCH = 32;

  private boolean answersAlike(Map<String, String> lookups) throws IOException {
    for (Map.Entry<String, String> e : lookups.entrySet()) {
      if (!java.util.Objects.equals(stamp(e.getKey()), e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * This tree's answer to one lookup, asked once however many kept readings ask it (in a merged
   * tree an answer may cost a merge of the file's three sides).
   */
  private String stamp(String path) throws IOException {
    if (stamps.containsKey(path)) {
      return stamps.get(path);
    }
    String s = SourceFiles.stamp(tree, tree.entry(path));
    stamps.put(path, s);
    return s;
  }

  /** This tree's answers to the lookups of kept settings readings, by path. */
  private final Map<String, String> stamps = new HashMap<>();

  /**
   * INSTALLED_APPS adds the result of code migdiff does not run ({@code [...] +
   * get_core_apps()}): the literal apps are certain; the migrations packages found outside test
   * trees stand in for the rest, and a warning names their labels as uncertain.
   */
  private List<App> withUncertain(List<App> certain, Settings settings, SourceFiles files,
      AppResolver resolver) throws IOException {
    List<App> guessed = new FallbackDiscovery(files, config, problems, resolver)
        .discover(certain, true);
    List<App> all = new ArrayList<>(certain);
    all.addAll(guessed);
    ModuleScope.Unknown first = settings.uncertain().get(0);
    String parts = String.join(", ", settings.uncertain().stream().map(ModuleScope.Unknown::text)
        .distinct().toList());
    String labels = String.join(", ", guessed.stream().map(App::label).toList());
    problems.add(Problem.warning("uncertain-installed-apps", settings.path(), first.pos(),
        "INSTALLED_APPS adds " + parts + ", which migdiff cannot evaluate; "
            + (guessed.isEmpty() ? "no other migrations package was found outside test trees"
                : "it assumes the migrations packages found outside test trees, whose labels are "
                    + "uncertain: " + labels))
        .withHint("list the apps literally in INSTALLED_APPS, or set their labels under "
            + "[tool.migdiff.labels]"));
    return all;
  }

  /**
   * {@code sys.path} as Django sees it: manage.py's directory first (Python puts the script's
   * directory there), then the source roots of installed packages.
   */
  private List<String> roots(String root) {
    java.util.LinkedHashSet<String> roots = new java.util.LinkedHashSet<>();
    roots.add(root == null ? "" : root);
    roots.addAll(config.roots());
    return List.copyOf(roots);
  }

  /** Reads one migration file, or says why it cannot be read. */
  private MigrationReader.Result read(MigrationReader reader, Job j,
      dev.migdiff.python.Module skimmed, SourceFiles files) throws IOException {
    if (skimmed == SourceFiles.TOO_LARGE) {
      return new MigrationReader.Result(null, List.of(Problem.warning("unreadable-migration",
          j.path, null, j.key + " is larger than 8 MB; migdiff does not parse it, so its "
              + "dependencies are unknown")
          .withHint("generated data belongs in a fixture or a data file, not in the migration")));
    }
    if (!skimmed.problems().isEmpty() && skimmed.problems().get(0).pos().line() == 1
        && isLfsPointer(tree.read(j.entry))) {
      return new MigrationReader.Result(null, List.of(Problem.warning("unreadable-migration",
          j.path, null, j.key + " is a Git LFS pointer: the file's content is in LFS storage, "
              + "not in the Git objects migdiff reads")
          .withHint("keep migrations out of Git LFS (see .gitattributes)")));
    }
    return reader.read(j.key, j.path, j.entry.id(), skimmed, files.fullParse(j.entry));
  }

  /** Whether every setting {@code seen}'s readings consulted has the same value here. */
  private boolean sameSettings(ParseCache.AppReading seen, Settings settings) {
    for (Map.Entry<String, String> e : seen.settings().entrySet()) {
      if (!String.valueOf(setting(settings, e.getKey())).equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The settings the readings of a revision with {@code s} depend on, as text: AUTH_USER_MODEL's
   * value, and each setting migrations consulted so far in the run with its value. Readings made
   * under one text serve any revision of the same text.
   */
  private String context(Settings s, ParseCache cache) {
    StringBuilder settingsUsed = new StringBuilder(String.valueOf(setting(s, "AUTH_USER_MODEL")));
    for (String name : cache.settingsRead) {
      settingsUsed.append('\0').append(name).append('=').append(setting(s, name));
    }
    return settingsUsed.toString();
  }

  /**
   * One migrated app of this load: read now (its jobs, and the findings its listing gave, to be
   * remembered under {@code seenKey}, null: not remembered, and its files' readings under
   * {@code readingsDir} and the settings' context), or the reading another revision already made
   * ({@code seen}).
   */
  private record AppPart(String label, String seenKey, String readingsDir, List<Job> jobs,
      List<Problem> listing, ParseCache.AppReading seen) {}

  /** A migration file to read, its key in the run's cache, and its reading once known. */
  static final class Job implements MigrationCodec.Expected {
    private final MigrationKey key;
    private final String path;
    private final SourceTree.Entry entry;
    /** The key of its directory's stored readings (null: not stored). */
    private String dirKey;
    private MigrationReader.Result result;

    Job(MigrationKey key, String path, SourceTree.Entry entry) {
      this.key = key;
      this.path = path;
      this.entry = entry;
    }

    SourceTree.Entry entry() {
      return entry;
    }

    @Override
    public String fileName() {
      return entry.name();
    }

    @Override
    public String blobId() {
      return entry.id();
    }

    @Override
    public MigrationKey key() {
      return key;
    }

    @Override
    public String path() {
      return path;
    }

    /** Its reading; null until found or read. */
    MigrationReader.Result result() {
      return result;
    }

    /** Its reading, found in a directory's stored readings (or earlier in the run). */
    void found(MigrationReader.Result r) {
      result = r;
    }
  }

  private static DjangoProject.Clock clock(Settings settings) {
    if (settings == null) {
      return DjangoProject.Clock.UNKNOWN;
    }
    Boolean useTz = settings.get("USE_TZ") instanceof PyValue.Bool b ? b.value() : null;
    String zone = settings.get("TIME_ZONE") instanceof PyValue.Str z ? z.value() : null;
    return new DjangoProject.Clock(useTz, zone);
  }

  /** A Git LFS pointer file (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). */
  static boolean isLfsPointer(byte[] content) {
    byte[] head = "version https://git-lfs.github.com/spec/".getBytes(StandardCharsets.US_ASCII);
    return content.length < 1024 && content.length >= head.length
        && java.util.Arrays.equals(content, 0, head.length, head, 0, head.length);
  }

  private PyValue setting(Settings settings, String name) {
    if (name.equals("AUTH_USER_MODEL")) {
      if (config.authUserModel() != null) {
        return new PyValue.Str(config.authUserModel());
      }
      PyValue v = settings == null ? null : settings.get("AUTH_USER_MODEL");
      return v != null ? v : new PyValue.Str("auth.User");
    }
    return settings == null ? null : settings.get(name);
  }

  /** The three settings migdiff reads, evaluated from the settings module. */
  record Settings(String path, ModuleScope scope, List<PyValue.Item> installedApps,
      Map<String, Optional<String>> migrationModules, List<ModuleScope.Unknown> uncertain) {

    PyValue get(String name) {
      return scope.get(name);
    }

    static Settings read(SourceFiles files, String module, Map<String, String> environment,
        List<Problem> problems) throws IOException {
      Optional<ModuleScope> scope = ModuleScope.of(files, module, environment);
      if (scope.isEmpty()) {
        problems.add(Problem.warning("settings-not-found", null, null,
            "settings module '" + module + "' is not in the repository")
            .withHint("set settings (and project-root) in [tool.migdiff]; until then migdiff "
                + "uses every migrations package in the tree"));
        return null;
      }
      return of(scope.get(), files, problems);
    }

    /**
     * The settings of an evaluated settings module, reporting their problems to {@code problems};
     * null {@code files} and {@code problems} for a stored reading, which keeps its problems.
     */
    static Settings of(ModuleScope s, SourceFiles files, List<Problem> problems)
        throws IOException {
      List<PyValue.Item> installed = null;
      PyValue apps = s.get("INSTALLED_APPS");
      List<ModuleScope.Unknown> uncertain = List.of();
      if (apps instanceof PyValue.Seq seq) {
        installed = seq.items();
      } else if (s.partial.containsKey("INSTALLED_APPS")) {
        installed = s.partial.get("INSTALLED_APPS").items();
        uncertain = s.partial.get("INSTALLED_APPS").unknown();
      } else if (problems != null) {
        NotStaticException why = s.failures.get("INSTALLED_APPS");
        List<dev.migdiff.python.SyntaxProblem> syntax = files.parse(s.path).problems();
        if (why == null && !syntax.isEmpty()) {
          problems.add(Problem.warning("settings-not-static", s.path, syntax.get(0).pos(),
              "INSTALLED_APPS cannot be read: the settings file does not parse: "
                  + syntax.get(0).message())
              .withHint("migdiff uses every migrations package in the tree instead"));
        } else {
          problems.add(Problem.warning("settings-not-static", s.path,
              why == null ? null : why.pos(),
              "INSTALLED_APPS cannot be read statically"
                  + (why == null ? " (not set)" : ": " + why.getMessage()))
              .withHint("migdiff uses every migrations package in the tree instead"));
        }
      }
      Position cond = s.conditional.get("INSTALLED_APPS");
      if (installed != null && cond != null && problems != null) {
        problems.add(Problem.info("settings-conditional", s.path, cond,
            "INSTALLED_APPS is also changed conditionally; migdiff uses the unconditional value"));
      }
      if (problems != null) {
        for (String name : List.of("INSTALLED_APPS", "MIGRATION_MODULES", "AUTH_USER_MODEL")) {
          ModuleScope.EnvironmentUse use = s.environmental.get(name);
          if (use != null && (s.values.containsKey(name) || s.partial.containsKey(name))) {
            problems.add(Problem.info("settings-environment", use.path(), use.pos(),
                name + " depends on the environment (" + use.variables().stream()
                    .map(s.environment::describe).collect(java.util.stream.Collectors.joining(", "))
                    + "); migdiff reads the settings as Django would with these values")
                .withHint("give migdiff your environment's values with --env NAME=VALUE or "
                    + "[tool.migdiff.env] in pyproject.toml"));
          }
        }
      }
      Map<String, Optional<String>> modules = new LinkedHashMap<>();
      PyValue mm = s.get("MIGRATION_MODULES");
      if (mm instanceof PyValue.Dict d) {
        d.entries().forEach((k, v) -> {
          if (k instanceof PyValue.Str ks) {
            if (v instanceof PyValue.Str vs) {
              modules.put(ks.value(), Optional.of(vs.value()));
            } else if (v == PyValue.None.NONE) {
              modules.put(ks.value(), Optional.empty());
            }
          }
        });
      } else if (s.failures.containsKey("MIGRATION_MODULES") && problems != null) {
        NotStaticException why = s.failures.get("MIGRATION_MODULES");
        problems.add(Problem.warning("settings-not-static", s.path, why.pos(),
            "MIGRATION_MODULES cannot be read statically: " + why.getMessage())
            .withHint("set migration-modules in [tool.migdiff]"));
      }
      return new Settings(s.path, s, installed, modules, uncertain);
    }
  }

  static Map<String, Optional<String>> mergedModules(Settings settings, DjangoConfig config) {
    Map<String, Optional<String>> out = new HashMap<>();
    if (settings != null) {
      out.putAll(settings.migrationModules());
    }
    config.migrationModules().forEach((k, v) -> out.put(k, Optional.ofNullable(v)));
    return out;
  }
}
