#!/usr/bin/env bash
# berth build against buildah bud (rootless) and ch-image build, in one run on one machine
# (issue 15; figures in docs/benchmarks.md#build). The same Dockerfile, several RUN and COPY steps
# on a Debian 12 base (debootstrap minbase) with apt-get install from a local repository:
#   cold    no step reused: berth build --no-cache, buildah bud --isolation chroot --layers --no-cache,
#           ch-image build --rebuild; bar: berth <= 0.5x buildah
#   cached  every step reused: berth build, buildah bud --layers, ch-image build; bar: berth <= 0.1x buildah
# (ch-image needs --force for apt-get as an unprivileged user; berth and buildah need nothing.)
# The base image is in each tool's storage, and berth's start-up caches are trained, before anything is timed. Medians of RUNS runs.
# Run as root from a built checkout (mvn package): bench/build/run.sh [WORKDIR]; it creates the user
# berth-bench, who runs all three. Needs buildah, umoci, debootstrap, dpkg-deb, bc and
# charliecloud-builders (ch-image, with python3-lark).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-/tmp/berth-bench-build}
user=berth-bench
runs=${RUNS:-3}

[ "$(id -u)" -eq 0 ] || { echo "bench/build: run as root (it creates the user $user)" >&2; exit 1; }
for tool in buildah umoci debootstrap dpkg-deb ch-image bc; do
    command -v "$tool" >/dev/null || { echo "bench/build: needs $tool" >&2; exit 1; }
done
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/sh "$user"
chmod 0666 /dev/fuse
mkdir -p "$work" && chmod 0755 "$work"

tarball=$(ls "$root"/berth-cli/target/berth-*.tar.gz)
rm -rf "$work/dist" && mkdir -p "$work/dist" && tar xzf "$tarball" -C "$work/dist" --strip-components=1
chmod -R a+rX "$work/dist"

# the base: Debian 12 minbase as a root file system tar (for ch-image) and an OCI layout (berth, buildah)
if [ ! -f "$work/debian.tar" ]; then
    rm -rf "$work/debian" && debootstrap --variant=minbase bookworm "$work/debian" http://deb.debian.org/debian >/dev/null
    rm -rf "$work/debian"/var/cache/apt/archives/*.deb "$work/debian"/var/lib/apt/lists/*
    tar -C "$work/debian" -cf "$work/debian.tar.new" . && mv "$work/debian.tar.new" "$work/debian.tar"
    rm -rf "$work/layout" "$work/bundle"
    umoci init --layout "$work/layout" && umoci new --image "$work/layout:12"
    umoci unpack --image "$work/layout:12" "$work/bundle" >/dev/null
    rm -rf "$work/bundle/rootfs" && mv "$work/debian" "$work/bundle/rootfs"
    umoci repack --image "$work/layout:12" "$work/bundle" && rm -rf "$work/bundle"
    umoci config --image "$work/layout:12" --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
fi

# the recipe and its context: a local APT repository, a source tree, data files
context="$work/context"
rm -rf "$context" "$work/package" && mkdir -p "$context/repo" "$context/src" "$context/data" "$work/package/DEBIAN" "$work/package/usr/bin"
printf 'Package: bench-tool\nVersion: 1.0\nArchitecture: all\nMaintainer: bench <bench@localhost>\nDescription: a tool\n' \
    >"$work/package/DEBIAN/control"
printf '#!/bin/sh\necho bench tool\n' >"$work/package/usr/bin/bench-tool" && chmod 755 "$work/package/usr/bin/bench-tool"
dpkg-deb --root-owner-group --build "$work/package" "$context/repo/bench-tool_1.0_all.deb" >/dev/null
deb="$context/repo/bench-tool_1.0_all.deb"
{ cat "$work/package/DEBIAN/control"; echo "Filename: ./bench-tool_1.0_all.deb"; echo "Size: $(stat -c %s "$deb")";
  echo "SHA256: $(sha256sum "$deb" | cut -d' ' -f1)"; } >"$context/repo/Packages"
for i in $(seq 200); do head -c 4096 /dev/urandom >"$context/src/file$i.c"; done
head -c $((32 << 20)) /dev/urandom >"$context/data/blob.bin"
cat >"$context/Dockerfile" <<'RECIPE'
ARG BASE
FROM $BASE
COPY repo /srv/repo
RUN echo 'deb [trusted=yes] file:/srv/repo ./' > /etc/apt/sources.list.d/local.list \
    && rm -f /etc/apt/sources.list /etc/apt/sources.list.d/debian.sources && apt-get update -qq && apt-get install -y -qq bench-tool
COPY src /src
RUN cd /src && for f in *.c; do cp "$f" "${f%.c}.o"; done && bench-tool > /src/built.txt
COPY data /data
RUN sha256sum /data/blob.bin > /data/blob.sha256 && rm -rf /usr/share/doc /usr/share/man
RUN useradd --create-home app || true
CMD ["bench-tool"]
RECIPE
chmod -R a+rX "$work"

as_user() { runuser -u "$user" -- env -i HOME="/home/$user" USER="$user" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    sh -c "cd '$work' && $1"; }
home=/home/$user
rm -rf "$home/.cache/berth" "$home/.local/share/berth" "$home/ch"
as_user "git config --global user.name bench && git config --global user.email bench@localhost"
as_user "buildah rmi --all >/dev/null 2>&1 || true"

berth="$work/dist/bin/berth"
as_user "$berth copy oci:$work/layout:12 berth:debian:12 >/dev/null && $berth system warm >/dev/null 2>&1"
as_user "ch-image -s $home/ch import $work/debian.tar debian:12 >/dev/null 2>&1"

berth_build() { as_user "$berth build -t bench:1 --build-arg BASE=debian:12 $1 context"; }
buildah_build() { as_user "buildah bud --isolation chroot --layers --build-arg BASE=oci:$work/layout:12 -t bench:1 $1 context"; }
ch_build() { as_user "ch-image -s $home/ch build --force --build-arg BASE=debian:12 -t bench $1 context"; }

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { echo "scale=3; $1 / $2" | bc; }
timed() { local t0; t0=$(now); "$@" >"$work/last.log" 2>&1 || { echo "bench/build: failed: $*" >&2; tail -20 "$work/last.log" >&2; exit 1; }
          echo "$(now) - $t0" | bc; }

# one build of each first: fills the caches the cached runs reuse (and the JDK's start-up cache)
berth_build "" >/dev/null; buildah_build "" >/dev/null; ch_build "" >/dev/null

for kind in cold cached; do : >"$work/$kind.berth"; : >"$work/$kind.buildah"; : >"$work/$kind.ch"; done
for _ in $(seq "$runs"); do
    timed berth_build --no-cache >>"$work/cold.berth"
    timed buildah_build --no-cache >>"$work/cold.buildah"
    timed ch_build --rebuild >>"$work/cold.ch"
    timed berth_build "" >>"$work/cached.berth"
    timed buildah_build "" >>"$work/cached.buildah"
    timed ch_build "" >>"$work/cached.ch"
done
driver=$(as_user "buildah info --format '{{.store.GraphDriverName}}'" 2>/dev/null || echo '?')
echo "== build benchmark on $(nproc) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each"
echo "   buildah $(buildah --version | cut -d' ' -f3) (storage: $driver), ch-image $(as_user 'ch-image --version' 2>&1 | tail -1)"
for kind in cold cached; do
    b=$(median <"$work/$kind.berth"); h=$(median <"$work/$kind.buildah"); c=$(median <"$work/$kind.ch")
    bar=$([ "$kind" = cold ] && echo 0.5 || echo 0.1)
    printf '%-6s berth %6.2f s   buildah %6.2f s   ch-image %6.2f s   berth/buildah = %sx (bar <= %sx)   berth/ch-image = %sx\n' \
        "$kind" "$b" "$h" "$c" "$(ratio "$b" "$h")" "$bar" "$(ratio "$b" "$c")"
done
