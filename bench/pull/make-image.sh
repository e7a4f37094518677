#!/usr/bin/env bash
# Builds, once, the Debian images bench/pull/run.sh pulls, into a cache outside the repository:
#   base  debootstrap (bookworm, minbase + python3, perl, git, curl) split into 5 layers
#   app   base plus one layer of 40 MB, so a pull after base moves only that layer
# Usage: bench/pull/make-image.sh [CACHE_DIR]   (default ${BERTH_BENCH_CACHE:-/var/tmp/berth-bench})
# Needs root (debootstrap), debootstrap, umoci, and Debian's mirror on the network.
set -euo pipefail
cache=${1:-${BERTH_BENCH_CACHE:-/var/tmp/berth-bench}}
layout="$cache/layout"
# v2: every directory under usr/ is in a layer (v1 left out usr/lib64, where the dynamic loader lives)
[ -f "$cache/layout-v2" ] && exit 0
for tool in debootstrap umoci; do
    command -v "$tool" >/dev/null || { echo "bench/pull: needs $tool (apt-get install $tool)" >&2; exit 1; }
done
mkdir -p "$cache"
if [ ! -d "$cache/rootfs" ]; then
    rm -rf "$cache/rootfs.tmp"
    debootstrap --variant=minbase --include=python3,perl,git,curl,ca-certificates bookworm "$cache/rootfs.tmp" \
        http://deb.debian.org/debian >"$cache/debootstrap.log"
    mv "$cache/rootfs.tmp" "$cache/rootfs"
fi

rm -rf "$layout" "$cache/bundle"
umoci init --layout "$layout"
umoci new --image "$layout:base"
umoci unpack --image "$layout:base" "$cache/bundle"
rootfs="$cache/bundle/rootfs"
# One layer per group of top-level directories, largest first, as image builds tend to stack them.
rest_of_usr=$(cd "$cache/rootfs" && ls -d usr/* | grep -vx 'usr/lib\|usr/share' | tr '\n' ' ')
for group in "usr/lib" "usr/share" "$rest_of_usr" \
             "etc var opt srv home root" "bin sbin lib lib32 lib64 libx32 boot dev media mnt proc run sys tmp"; do
    for dir in $group; do
        [ -e "$cache/rootfs/$dir" ] || [ -L "$cache/rootfs/$dir" ] || continue
        mkdir -p "$rootfs/$(dirname "$dir")"
        cp -a "$cache/rootfs/$dir" "$rootfs/$dir"
    done
    umoci repack --refresh-bundle --image "$layout:base" "$cache/bundle"
done
umoci config --image "$layout:base" --config.cmd /bin/bash
umoci tag --image "$layout:base" app
umoci unpack --image "$layout:app" "$cache/bundle-app"
mkdir -p "$cache/bundle-app/rootfs/opt/app"
head -c 40000000 /dev/urandom >"$cache/bundle-app/rootfs/opt/app/data.bin"
umoci repack --image "$layout:app" "$cache/bundle-app"
umoci gc --layout "$layout"
rm -rf "$cache/bundle" "$cache/bundle-app"
touch "$cache/layout-v2"
