#!/usr/bin/env bash
# Builds DIR/work (a project with branches, an annotated tag, a remote branch, packed refs after
# `git gc`, a linked worktree and a reflog with a previous branch), DIR/bare.git (a bare clone)
# and DIR/linked (a linked worktree of DIR/work on branch `side`).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: revisions.sh DIR}
rm -rf "$dir"
mkdir -p "$dir/origin"
dir=$(cd "$dir" && pwd)

cd "$dir/origin"
git init -q -b main .
. "$here/lib.sh"
django_project blog
migration blog 0001_initial ''
commit "initial"
migration blog 0002_a '("blog", "0001_initial")'
commit "a"
git branch -q upstream-only
git tag -a v1 -m "release 1"

git clone -q "$dir/origin" "$dir/work"
cd "$dir/work"
git switch -q -c side
migration blog 0002_b '("blog", "0001_initial")'
commit "b (fork)"
migration blog 0003_c '("blog", "0002_b")'
commit "c"
git switch -q main
git switch -q side
git switch -q main
for i in $(seq 1 30); do git tag "t$i"; done
git gc -q
git worktree add -q "$dir/linked" side 2>/dev/null || git worktree add -q --force "$dir/linked" side
git clone -q --bare "$dir/work" "$dir/bare.git"
echo "revisions repository ready in $dir" >&2
