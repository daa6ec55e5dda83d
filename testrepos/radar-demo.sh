#!/usr/bin/env bash
# Builds the radar demo repository in DIR (default ./radar-demo): open branches that are each clean
# against `main` but collide with each other (docs/radar.md shows `migdiff radar` on it).
#   feature/coupons          adds shop 0002_coupon
#   feature/loyalty          adds shop 0002_loyalty           (collides with coupons)
#   feature/loyalty-emails   builds on loyalty, adds 0003     (collides with coupons, not loyalty)
#   feature/reviews          adds blog 0003_post_rating
#   feature/ratings          adds blog 0003_post_rating too, different content (same name)
#   feature/docs             no migrations
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-radar-demo}
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
git init -q -b main .
. "$here/lib.sh"

django_project blog shop
migration blog 0001_initial '("auth", "0012_alter_user_first_name_max_length")' '
        migrations.CreateModel(name="Post", fields=[("id", models.AutoField(primary_key=True))]),
    '
migration blog 0002_post_title '("blog", "0001_initial")' '
        migrations.AddField("post", "title", models.CharField(max_length=200, default="")),
    '
migration shop 0001_initial '("blog", "0001_initial")' '
        migrations.CreateModel(name="Product", fields=[("id", models.AutoField(primary_key=True))]),
    '
commit "Initial project"

git switch -q -c feature/coupons main
migration shop 0002_coupon '("shop", "0001_initial")' '
        migrations.CreateModel(name="Coupon", fields=[("id", models.AutoField(primary_key=True))]),
    '
commit "Coupons"

git switch -q -c feature/loyalty main
migration shop 0002_loyalty '("shop", "0001_initial")' '
        migrations.AddField("product", "points", models.IntegerField(default=0)),
    '
commit "Loyalty points"

git switch -q -c feature/loyalty-emails feature/loyalty
migration shop 0003_loyalty_email '("shop", "0002_loyalty")' '
        migrations.AddField("product", "points_email", models.BooleanField(default=False)),
    '
commit "Loyalty e-mails"

git switch -q -c feature/reviews main
migration blog 0003_post_rating '("blog", "0002_post_title")' '
        migrations.AddField("post", "rating", models.IntegerField(default=0)),
    '
commit "Post ratings (reviews)"

git switch -q -c feature/ratings main
migration blog 0003_post_rating '("blog", "0002_post_title")' '
        migrations.AddField("post", "rating", models.PositiveSmallIntegerField(default=0)),
    '
commit "Post ratings (stars)"

git switch -q -c feature/docs main
printf '# Shop\n' | save README.md
commit "Docs"

git switch -q main
printf 'Shop and blog.\n' | save NOTES.md
commit "Notes on main"
git gc -q
echo "radar demo repository ready in $dir (main and six feature branches)" >&2
