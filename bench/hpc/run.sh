#!/usr/bin/env bash
# MPI inside berth containers against the same programs on bare metal, in one run on one node
# (docs/benchmarks.md#mpi): a ping-pong between two ranks started by the host's Open MPI over
# shared memory (vader): one-way latency of 8-byte messages and bandwidth of 4 MiB messages.
# The ranks inside run the same binary from a Debian 12 image with the same Open MPI (hybrid model).
# Run as root from a built checkout: bench/hpc/run.sh [WORKDIR]. Needs openmpi-bin, libopenmpi-dev,
# debootstrap (or the test suite's Debian image under berth-cli/target/test-images), umoci, the
# network to Debian's mirror for the image's packages, and berth's runtime packages.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-/tmp/berth-bench-hpc}
user=berth-bench
runs=${RUNS:-5}
rounds=${ROUNDS:-5000}

[ "$(id -u)" -eq 0 ] || { echo "run.sh: run as root (it creates the user $user)" >&2; exit 1; }
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/sh "$user"
chmod 0666 /dev/fuse
mkdir -p "$work" && chmod 0755 "$work"

tarball=$(ls "$root"/berth-cli/target/berth-*.tar.gz)
rm -rf "$work/dist" && mkdir -p "$work/dist" && tar xzf "$tarball" -C "$work/dist" --strip-components=1
berth="$work/dist/bin/berth"

debian="$root/berth-cli/target/test-images/debian-12-minbase"
if [ ! -f "$debian/index.json" ]; then
    debian="$work/debian"
    if [ ! -f "$debian/index.json" ]; then
        rm -rf "$work/rootfs" "$debian" "$work/bundle"
        debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >/dev/null
        umoci init --layout "$debian" && umoci new --image "$debian:12"
        umoci unpack --image "$debian:12" "$work/bundle" >/dev/null
        rm -rf "$work/bundle/rootfs" && mv "$work/rootfs" "$work/bundle/rootfs"
        umoci repack --image "$debian:12" "$work/bundle" >/dev/null && rm -rf "$work/bundle"
        umoci config --image "$debian:12" --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    fi
fi
rm -rf "$work/context" && mkdir -p "$work/context"
mpicc -O2 -o "$work/context/mpi-pingpong" "$root/berth-cli/src/test/resources/mpi/pingpong.c"
cat > "$work/context/Dockerfile" <<'DOCKERFILE'
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends openmpi-bin libopenmpi3 && rm -rf /var/lib/apt/lists/*
COPY mpi-pingpong /usr/local/bin/
DOCKERFILE
chmod -R a+rX "$work" "$debian"

as_user() { runuser -u "$user" -- env -i HOME="/home/$user" USER="$user" PATH="$work/dist/bin:/usr/bin:/bin" sh -c "cd && $1"; }
as_user "berth copy oci:$debian:12 berth:debian:12 >/dev/null && berth build -t bench/mpi:1 $work/context >/dev/null"

mpirun="mpirun -np 2 --mca btl self,vader"
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# the medians of $runs runs of "$1": prints "LATENCY_US BANDWIDTH_MBPS"
measure() {
    local results
    results=$(for _ in $(seq "$runs"); do
        as_user "$1 $rounds" 2>/dev/null | awk '/^latency_us/ {l=$2} /^bandwidth_MBps/ {b=$2} END {print l, b}'
    done)
    echo "$(cut -d' ' -f1 <<<"$results" | median) $(cut -d' ' -f2 <<<"$results" | median)"
}
echo "== MPI benchmark on $(nproc) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(mpirun --version | head -1)"
read -r bare_lat bare_bw < <(measure "$mpirun $work/context/mpi-pingpong")
read -r none_lat none_bw < <(measure "$mpirun --mca btl_vader_single_copy_mechanism none $work/context/mpi-pingpong")
read -r in_lat in_bw < <(measure "$mpirun berth exec bench/mpi:1 mpi-pingpong")
read -r shared_lat shared_bw < <(measure "$mpirun berth exec --sharens bench/mpi:1 mpi-pingpong")
ratio() { echo "scale=3; $1 / $2" | bc; }
echo "ping-pong (median of $runs runs of $rounds rounds), latency of 8 B one way, bandwidth of 4 MiB:"
echo "  bare metal, Open MPI's defaults (single copy by CMA): ${bare_lat} us, ${bare_bw} MB/s"
echo "  bare metal, single copy off:                          ${none_lat} us, ${none_bw} MB/s"
echo "  inside berth (its default: single copy off):          ${in_lat} us, ${in_bw} MB/s"
echo "  inside berth --sharens (Open MPI's defaults: CMA):    ${shared_lat} us, ${shared_bw} MB/s"
echo "  inside/bare latency $(ratio "$in_lat" "$bare_lat"), bandwidth $(ratio "$in_bw" "$bare_bw") (goal: within 5%, i.e. latency <= 1.05, bandwidth >= 0.95)"
echo "  inside/bare with single copy off on both: latency $(ratio "$in_lat" "$none_lat"), bandwidth $(ratio "$in_bw" "$none_bw")"
echo "  inside --sharens/bare, Open MPI's defaults on both: latency $(ratio "$shared_lat" "$bare_lat"), bandwidth $(ratio "$shared_bw" "$bare_bw")"
