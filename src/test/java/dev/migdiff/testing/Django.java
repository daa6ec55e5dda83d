package dev.migdiff.testing;

import java.util.List;
import java.util.stream.Collectors;

/** Writers of the files a small Django project is made of, for scenario repositories. */
public final class Django {
  private Django() {}

  public static final String MANAGE_PY = """
      #!/usr/bin/env python
      import os
      import sys


      def main():
          os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
          from django.core.management import execute_from_command_line

          execute_from_command_line(sys.argv)


      if __name__ == "__main__":
          main()
      """;

  /** A settings module with a literal INSTALLED_APPS (contrib auth and contenttypes first). */
  public static String settings(List<String> apps, String extra) {
    return "SECRET_KEY = \"test\"\nINSTALLED_APPS = [\n"
        + "    \"django.contrib.auth\",\n    \"django.contrib.contenttypes\",\n"
        + apps.stream().map(a -> "    \"" + a + "\",\n").collect(Collectors.joining())
        + "]\n" + extra;
  }

  /** A migration file; {@code deps} is the Python text inside the dependencies list. */
  public static String migration(String deps) {
    return migration(deps, "");
  }

  public static String migration(String deps, String body) {
    return "from django.db import migrations, models\n\n\n"
        + "class Migration(migrations.Migration):\n\n"
        + "    dependencies = [" + deps + "]\n\n"
        + "    operations = []\n" + body;
  }

  /** manage.py, mysite/settings.py and each app's package and migrations package. */
  public static RepoBuilder project(RepoBuilder repo, List<String> apps, String extraSettings) {
    repo.file("manage.py", MANAGE_PY).file("mysite/__init__.py", "")
        .file("mysite/settings.py", settings(apps, extraSettings));
    for (String app : apps) {
      repo.file(app + "/__init__.py", "").file(app + "/migrations/__init__.py", "");
    }
    return repo;
  }
}
