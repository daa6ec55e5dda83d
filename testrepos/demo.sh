#!/usr/bin/env bash
# Builds the README's demo repository in DIR (default ./demo): a Django project whose branches
# `main` and `feature-x` both add migrations to `blog`, so a merge needs `makemigrations --merge`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-demo}
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
git init -q -b main .
. "$here/lib.sh"

django_project blog shop
migration blog 0001_initial '("auth", "0012_alter_user_first_name_max_length")' '
        migrations.CreateModel(
            name="Post",
            fields=[("id", models.AutoField(primary_key=True)), ("title", models.CharField(max_length=200))],
        ),
    '
migration blog 0002_post_slug '("blog", "0001_initial")' '
        migrations.AddField("post", "slug", models.SlugField(default="")),
    '
migration shop 0001_initial '("blog", "0001_initial")' '
        migrations.CreateModel(name="Product", fields=[("id", models.AutoField(primary_key=True))]),
    '
commit "Initial project"
git tag -a v1.0 -m "First release"

git switch -q -c feature-x
migration blog 0003_post_body '("blog", "0002_post_slug")' '
        migrations.AddField("post", "body", models.TextField(default="")),
    '
migration shop 0002_product_post '("shop", "0001_initial"), ("blog", "0003_post_body")' '
        migrations.AddField("product", "post", models.ForeignKey("blog.Post", null=True, on_delete=models.SET_NULL)),
    '
commit "Add post bodies and link products to posts"

git switch -q main
migration blog 0003_remove_post_slug '("blog", "0002_post_slug")' '
        migrations.RemoveField("post", "slug"),
        migrations.RunPython(lambda apps, schema_editor: None),
    '
commit "Drop slugs"
git gc -q
echo "demo repository ready in $dir (branches: main, feature-x; tag: v1.0)" >&2
