# Shared helpers for the scenario scripts: deterministic identities and dates, tiny file writers.
# Source it; every function writes only below the current directory.
set -eu
export GIT_AUTHOR_NAME="Ada Lovelace" GIT_AUTHOR_EMAIL="ada@example.com"
export GIT_COMMITTER_NAME="Ada Lovelace" GIT_COMMITTER_EMAIL="ada@example.com"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
tick=1700000000
commit() { # commit MESSAGE: commits everything with the next fixed timestamp
  tick=$((tick + 3600))
  GIT_AUTHOR_DATE="@$tick +0000" GIT_COMMITTER_DATE="@$tick +0000" \
    git -c commit.gpgsign=false commit -q --allow-empty -m "$1"
  git add -A >/dev/null 2>&1 || true
}
save() { # save PATH: writes stdin to PATH, creating directories, and stages it
  mkdir -p "$(dirname "$1")"
  cat > "$1"
  git add -- "$1"
}
migration() { # migration APP NAME 'DEPS' ['OPERATIONS']: a Django migration file
  save "$1/migrations/$2.py" <<PY
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [${3}]

    operations = [${4:-}]
PY
}
django_project() { # django_project APP...: manage.py, settings and empty apps
  save manage.py <<'PY'
#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
PY
  : | save mysite/__init__.py
  {
    echo 'SECRET_KEY = "demo"'
    echo 'INSTALLED_APPS = ['
    echo '    "django.contrib.auth",'
    echo '    "django.contrib.contenttypes",'
    for app in "$@"; do echo "    \"$app\","; done
    echo ']'
    echo 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}'
  } | save mysite/settings.py
  for app in "$@"; do
    : | save "$app/__init__.py"
    : | save "$app/migrations/__init__.py"
  done
}
