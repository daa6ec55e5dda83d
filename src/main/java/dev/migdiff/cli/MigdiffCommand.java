package dev.migdiff.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level command: lists the subcommands and the exit codes. The subcommands are added by
 * {@link Main} (only the one a run needs: building picocli's model of all of them costs more than
 * some whole runs).
 */
@Command(name = "migdiff", mixinStandardHelpOptions = true,
    versionProvider = MigdiffCommand.Version.class,
    description = "Divergent Django migrations, read straight from Git objects: no checkout, "
        + "no Python. A local database, when one is found, tells what is really applied "
        + "(read-only).%n%n  migdiff FROM TO      same as 'migdiff diff FROM TO'",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:no app has divergent leaves",
        "1:some app has several leaves (a merge migration is needed)",
        "2:usage or input error (bad option, not a repository, unknown revision, bad config)",
        "3:internal error (a bug: please report it)"})
public final class MigdiffCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "-C", paramLabel = "DIR",
      description = "Run as if started in DIR (like git -C).")
  java.nio.file.Path directory;

  /** The environment (injected so that tests control it, and point the bot at a local server). */
  java.util.Map<String, String> env = System.getenv();

  java.util.Map<String, String> environment() {
    return env;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * What {@code --version} prints: migdiff's version and commit (from the jar's manifest) and
   * the Java runtime it runs on.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return lines().toArray(String[]::new);
    }

    static java.util.List<String> lines() {
      String v = MigdiffCommand.class.getPackage().getImplementationVersion();
      // String.concat and String.join, not '+': javac compiles '+' to invokedynamic, whose first
      // use spins method handle classes (about 1 ms per site), and this is a whole run.
      return java.util.List.of("migdiff ".concat(v == null ? "dev" : v),
          "commit: ".concat(commit()), "runtime: ".concat(runtime()));
    }

    /** The commit scripts/migdiff or scripts/release built from ("unknown" otherwise). */
    static String commit() {
      Manifest manifest = firstEntryManifest();
      if (manifest == null) {
        try (InputStream in = MigdiffCommand.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
          manifest = in == null ? null : new Manifest(in);
        } catch (IOException e) {
          // no manifest: a build from the class files
        }
      }
      String c = manifest == null ? null : manifest.getMainAttributes().getValue("Migdiff-Commit");
      return c == null || c.isBlank() ? "unknown" : c;
    }

    /**
     * The manifest, read from the jar's first entry when that is the manifest (both builds write
     * it first), or null. Opening the jar as a zip file would read its whole directory (5,000
     * entries), which costs a run that loads every class from the class-data sharing archive and
     * otherwise never opens the jar about a fifth of its start-up.
     */
    private static Manifest firstEntryManifest() {
      try {
        java.security.CodeSource source =
            MigdiffCommand.class.getProtectionDomain().getCodeSource();
        if (source == null || !source.getLocation().getPath().endsWith(".jar")) {
          return null;
        }
        try (InputStream in = new BufferedInputStream(
            Files.newInputStream(Path.of(source.getLocation().toURI())))) {
          ByteBuffer header = ByteBuffer.wrap(in.readNBytes(30)).order(ByteOrder.LITTLE_ENDIAN);
          if (header.limit() < 30 || header.getInt(0) != 0x04034b50) {
            return null;
          }
          int method = header.getShort(8) & 0xffff;
          byte[] name = in.readNBytes(header.getShort(26) & 0xffff);
          in.skipNBytes(header.getShort(28) & 0xffff);
          if (method != 8 || !"META-INF/MANIFEST.MF".equals(
              new String(name, StandardCharsets.ISO_8859_1))) {
            return null;
          }
          // deflated data ends by itself, whether or not the header gives its size
          return new Manifest(new InflaterInputStream(in, new Inflater(true)));
        }
      } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
        return null;
      }
    }

    /** e.g. "Java 17.0.13+11-Debian-2deb12u1 (OpenJDK 64-Bit Server VM), bundled at DIR". */
    static String runtime() {
      return String.join("", "Java ", System.getProperty("java.runtime.version"), " (",
          System.getProperty("java.vm.name"), "), ",
          "bundled".equals(System.getProperty("migdiff.runtime")) ? "bundled at " : "at ",
          System.getProperty("java.home"));
    }
  }
}
