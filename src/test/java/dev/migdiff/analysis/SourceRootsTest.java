package dev.migdiff.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.MapSourceTree;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Source roots as each packaging tool declares them, and the plain src/ default. */
class SourceRootsTest {

  private static List<String> roots(String... pathsAndContents) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      files.put(pathsAndContents[i], pathsAndContents[i + 1]);
    }
    files.putIfAbsent("src/pkg/__init__.py", "");
    files.putIfAbsent("lib/pkg/__init__.py", "");
    files.putIfAbsent("python/pkg/__init__.py", "");
    return SourceRoots.detect(MapSourceTree.of(files));
  }

  @Test
  void setupPyPackageDirAndFindPackages() throws IOException {
    assertEquals(List.of("lib"), roots("setup.py",
        "from setuptools import setup, find_packages\nsetup(name='x', package_dir={'': 'lib'},\n"
            + "      packages=find_packages('lib'))\n"));
    assertEquals(List.of("python"), roots("setup.py",
        "import setuptools\nsetuptools.setup(packages=setuptools.find_packages(where='python/'))\n"));
    // {'pkg': 'lib/pkg'}: the package's parent directory is on sys.path.
    assertEquals(List.of("lib"), roots("setup.py", "setup(package_dir={'pkg': 'lib/pkg'})\n"));
  }

  @Test
  void setupCfgOptions() throws IOException {
    assertEquals(List.of("lib"), roots("setup.cfg",
        "[metadata]\nname = x\n\n[options]\npackage_dir =\n    =lib\npackages = find:\n"));
    assertEquals(List.of("python"), roots("setup.cfg",
        "[options]\npackages = find:\n\n[options.packages.find]\nwhere = python\n"));
  }

  @Test
  void pyprojectForEachBuildBackend() throws IOException {
    assertEquals(List.of("lib"), roots("pyproject.toml",
        "[tool.setuptools]\npackage-dir = {\"\" = \"lib\"}\n"));
    assertEquals(List.of("python"), roots("pyproject.toml",
        "[tool.setuptools.packages.find]\nwhere = [\"python\"]\n"));
    assertEquals(List.of("lib"), roots("pyproject.toml",
        "[tool.hatch.build.targets.wheel]\npackages = [\"lib/pkg\"]\n"));
    assertEquals(List.of("python"), roots("pyproject.toml",
        "[tool.hatch.build.targets.wheel.sources]\n\"python\" = \"\"\n"));
    assertEquals(List.of("lib"), roots("pyproject.toml",
        "[tool.poetry]\nname = \"x\"\npackages = [{ include = \"pkg\", from = \"lib\" }]\n"));
    assertEquals(List.of("python"), roots("pyproject.toml",
        "[tool.pdm.build]\npackage-dir = \"python\"\n"));
  }

  @Test
  void plainSrcIsTheDefaultAndMissingDirectoriesAreDropped() throws IOException {
    assertEquals(List.of("src"), roots());
    // flit finds src/<module> by itself: nothing declared, so src/ counts.
    assertEquals(List.of("src"), roots("pyproject.toml",
        "[build-system]\nbuild-backend = \"flit_core.buildapi\"\n[tool.flit.module]\nname = \"pkg\"\n"));
    assertEquals(List.of(), roots("setup.py", "setup(package_dir={'': 'nowhere'})\n"));
    assertEquals(List.of(), SourceRoots.detect(MapSourceTree.of(Map.of("app/__init__.py", ""))));
  }

  @Test
  void leaveAloneWhatCannotBeARoot() throws IOException {
    assertEquals(List.of("src"), roots("setup.py", "setup(package_dir={'': '../outside'})\n"));
    assertEquals(List.of("src"), roots("pyproject.toml", "this is [not toml\n"));
    assertEquals(List.of("src"), roots("setup.py", "setup(package_dir=dirs)\n"));
  }

  @Test
  void sourceRootsInToolMigdiff() throws ConfigException {
    assertEquals(List.of("lib", "vendor/apps"), PyprojectConfig.parse(
        "[tool.migdiff]\nsource-roots = [\"./lib/\", \"vendor/apps\"]\n", "pyproject.toml")
        .sourceRoots());
    ConfigException e = assertThrows(ConfigException.class, () -> PyprojectConfig.parse(
        "[tool.migdiff]\nsource-roots = [\"../x\"]\n", "pyproject.toml"));
    assertEquals("pyproject.toml: [tool.migdiff] source-roots: '../x' is not a directory inside "
        + "the repository", e.getMessage());
    assertThrows(ConfigException.class, () -> PyprojectConfig.parse(
        "[tool.migdiff]\nsource-roots = \"src\"\n", "pyproject.toml"));
  }

  /**
   * A pyproject.toml is parsed only when it may spell a key that is read: keys spelled with
   * escapes still count, and a TOML error is reported only in a file that may configure migdiff.
   */
  @Test
  void aFileThatCannotSpellAKeyReadIsNotParsed() throws Exception {
    assertEquals(List.of("lib"), roots("pyproject.toml",
        "[tool.hatch.build.targets.wheel]\n\"\\u0070ackages\" = [\"lib/pkg\"]\n"));
    assertEquals("core.settings", PyprojectConfig.parse(
        "[tool.\"mig\\u0064iff\"]\nsettings = \"core.settings\"\n", "pyproject.toml").settingsModule());
    assertEquals(MigdiffConfig.EMPTY, PyprojectConfig.parse(
        "[project]\nname = \"shop\"\nbroken = [\n", "pyproject.toml"));
    ConfigException e = assertThrows(ConfigException.class, () -> PyprojectConfig.parse(
        "[tool.migdiff]\nsettings = [\n", "pyproject.toml"));
    assertTrue(e.getMessage().startsWith("pyproject.toml:3:1: invalid TOML"), e.getMessage());
  }
}
