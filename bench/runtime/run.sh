#!/usr/bin/env bash
# berth's runtime against its peers, in one run on one machine (see docs/benchmarks.md#runtime):
#   1. start latency: berth exec IMG /bin/true (image already converted) vs podman run (runc) and ch-run
#   2. pull-and-convert of a multi-layer image from a local registry: berth pull + berth convert
#      vs skopeo copy + umoci unpack + mksquashfs (same compressor and level as berth: zstd 3)
#   3. parallel reads of 1 GiB (64 files, 8 readers) inside the container vs the same tree on the host
#   4. 16 concurrent first uses of a new image: it is converted and prepared once (inotifywait counts)
# Run as root (podman is rootful here; berth and ch-run run as an ordinary user it creates) from a
# built checkout: bench/runtime/run.sh [WORKDIR]. Needs umoci, skopeo, podman and runc, docker-registry,
# mksquashfs (squashfs-tools), ch-run (charliecloud-runtime), inotifywait (inotify-tools) and berth's
# runtime packages.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-/tmp/berth-bench-runtime}
user=berth-bench
runs=${RUNS:-10}
parts=${PARTS:-1234}   # which of the measurements to run

[ "$(id -u)" -eq 0 ] || { echo "run.sh: run as root (it creates the user $user and runs podman)" >&2; exit 1; }
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/sh "$user"
chmod 0666 /dev/fuse
mkdir -p "$work"
chmod 0755 "$work"

# berth from the build, in a place the user can read
tarball=$(ls "$root"/berth-cli/target/berth-*.tar.gz)
rm -rf "$work/dist" && mkdir -p "$work/dist" && tar xzf "$tarball" -C "$work/dist" --strip-components=1
chmod -R a+rX "$work/dist"
berth="$work/dist/bin/berth"
[ -d "$work/images/small" ] || "$here/make-images.sh" "$work/images" >/dev/null

as_user() { runuser -u "$user" -- env -i HOME="/home/$user" USER="$user" PATH=/usr/bin:/bin sh -c "cd && $1"; }
now() { date +%s.%N; }
# median wall time in seconds of $runs runs of a command (run through sh)
median() {
    local runner=$1 cmd=$2 times=()
    for _ in $(seq "$runs"); do
        local t0; t0=$(now)
        $runner "$cmd" >/dev/null 2>&1
        times+=("$(echo "$(now) - $t0" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
as_root() { sh -c "$1"; }
ratio() { echo "scale=2; $1 / $2" | bc; }

echo "== runtime benchmark on $(nproc) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. start latency ----
if [[ $parts == *1* ]]; then
as_user "$berth rmi bench/small:1 >/dev/null 2>&1; $berth import $work/images/small --name bench/small:1 >/dev/null"
rm -rf "/home/$user/.cache/berth/aot"
as_user "$berth exec bench/small:1 /bin/true && $berth exec --fuse bench/small:1 /bin/true"
# bin/berth trains the JDK's AOT cache in the background after its first run: wait for it, so that
# the training neither competes with the timed runs nor is missing from them
for _ in $(seq 120); do ls /home/$user/.cache/berth/aot/*-all.aot >/dev/null 2>&1 && ! pgrep -f AOTCacheOutput >/dev/null && break; sleep 1; done
as_user "$berth convert bench/small:1 -o small.sqfs >/dev/null"
skopeo copy -q "oci:$work/images/small:latest" containers-storage:localhost/berth-bench-small:latest
podman_run="podman run --rm --runtime runc --cgroup-manager cgroupfs --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 localhost/berth-bench-small:latest /bin/true"
as_root "$podman_run"
rm -rf "$work/ch" && as_user "umoci unpack --rootless --image $work/images/small:latest $work/ch >/dev/null 2>&1" || true
[ -d "$work/ch/rootfs" ] || { mkdir -p "$work/ch"; umoci unpack --rootless --image "$work/images/small:latest" "$work/ch" >/dev/null; chmod -R a+rX "$work/ch"; }
berth_start=$(median as_user "$berth exec bench/small:1 /bin/true")   # from its launch plan after the first run
berth_jvm_start=$(median as_user "BERTH_LAUNCH_PLANS=0 $berth exec bench/small:1 /bin/true")
berth_fuse_start=$(median as_user "$berth exec --fuse bench/small:1 /bin/true")
berth_file_start=$(median as_user "$berth exec small.sqfs /bin/true")
podman_start=$(median as_root "$podman_run")
ch_start=$(median as_user "ch-run $work/ch/rootfs -- /bin/true")
echo "start latency (median of $runs): berth exec ${berth_start}s (through the JVM, no launch plan: ${berth_jvm_start}s; --fuse ${berth_fuse_start}s, image file ${berth_file_start}s), podman run (runc) ${podman_start}s, ch-run ${ch_start}s"
echo "  berth/podman = $(ratio "$berth_start" "$podman_start") (goal <= 0.5); berth/ch-run = $(ratio "$berth_start" "$ch_start")"

# the same prepared tree (the last one a run used) under a bare bwrap, as berth's own sandbox starts it
tree=$(ls -t /home/$user/.cache/berth/sandboxes/*.used | head -1); tree=${tree%.used}/root
bwrap_start=$(median as_user "bwrap --unshare-user --unshare-ipc --unshare-uts --ro-bind $tree / --proc /proc --dev /dev -- /bin/true")
echo "  bare bwrap of the prepared tree ${bwrap_start}s: berth/bwrap = $(ratio "$berth_start" "$bwrap_start") (goal <= 3), through the JVM $(ratio "$berth_jvm_start" "$bwrap_start")"

# berth's own processes while the container runs (it reads from a pipe that stays open 30 s):
# the launcher that owns the run and bwrap's monitor, their resident memory summed
as_user "sleep 30 | $berth exec bench/small:1 /bin/cat" &
runner=$!
for _ in $(seq 100); do pgrep -u "$user" -x bwrap >/dev/null && break; sleep 0.1; done
sleep 1
own=$( (pgrep -u "$user" -f "bin/berth exec bench/small:1 /bin/cat"; pgrep -u "$user" -x bwrap) | sort -u)
kib=0; for pid in $own; do kib=$((kib + $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status"))); done
jvms=$(pgrep -u "$user" -c java || true)
echo "resident memory of berth's processes beside a running container: $((kib / 1024)).$(( (kib % 1024) * 10 / 1024 )) MiB in $(echo $own | wc -w) processes, JVMs of the user: $jvms (goal <= 10 MiB)"
pkill -u "$user" -x sleep || true
wait "$runner" || true

fi

# ---- 4. concurrent first uses: 16 starts at once of an image no run has prepared prepare it once ----
if [[ $parts == *4* ]]; then
as_user "$berth rmi bench/fresh:1 >/dev/null 2>&1; rm -rf first-use-cache && mkdir -p first-use-cache/sandboxes first-use-cache/images"
as_user "$berth import $work/images/small --name bench/fresh:1 >/dev/null"
cache=/home/$user/first-use-cache
inotifywait -q -m -e create --format '%w %f' "$cache/sandboxes" "$cache/images" >"$work/created" 2>/dev/null &
watcher=$!
sleep 0.5
t0=$(now)
as_user "for i in \$(seq 16); do BERTH_CACHE_DIR=$cache $berth exec bench/fresh:1 /bin/true & done; wait"
first_uses=$(echo "$(now) - $t0" | bc)
sleep 0.5; kill "$watcher" 2>/dev/null || true
# each conversion and extraction works in a scratch directory of its own, beside a lock of the same name
conversions=$(grep 'images/ \.tmp-chain-' "$work/created" | grep -vc '\.lock$' || true)
extractions=$(grep 'sandboxes/ \.tmp-chain-' "$work/created" | grep -vc '\.lock$' || true)
trees=$(ls "$cache/sandboxes" | grep -c '^chain-sha256-[0-9a-f]*\.v[0-9]*$' || true)
echo "16 concurrent first uses of a new image: ${first_uses}s in all; conversions started $conversions, extractions started $extractions, prepared trees $trees (goal: prepared once)"
fi

# ---- 2. pull and convert ----
if [[ $parts == *2* ]]; then
port=$(shuf -i 20000-60000 -n 1)
mkdir -p "$work/registry" && rm -rf "$work/registry/data"
cat > "$work/registry/config.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/registry/data
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$work/registry/config.yml" >"$work/registry/log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
skopeo copy -q --dest-tls-verify=false "oci:$work/images/multi:latest" "docker://127.0.0.1:$port/bench/multi:latest"
ref="127.0.0.1:$port/bench/multi:latest"
as_user "rm -rf bench-data bench-cache peer; mkdir peer"
sync; echo 3 > /proc/sys/vm/drop_caches
t0=$(now)
as_user "BERTH_DATA_DIR=\$HOME/bench-data BERTH_CACHE_DIR=\$HOME/bench-cache $berth pull -q $ref >/dev/null && BERTH_DATA_DIR=\$HOME/bench-data BERTH_CACHE_DIR=\$HOME/bench-cache $berth convert $ref -o \$HOME/peer/berth.img >/dev/null"
berth_convert=$(echo "$(now) - $t0" | bc)
sync; echo 3 > /proc/sys/vm/drop_caches
t0=$(now)
as_user "skopeo copy -q --src-tls-verify=false docker://$ref oci:peer/layout:latest && umoci unpack --rootless --image peer/layout:latest peer/bundle >/dev/null && mksquashfs peer/bundle/rootfs peer/peer.sqfs -comp zstd -Xcompression-level 3 -quiet -no-progress >/dev/null"
peer_convert=$(echo "$(now) - $t0" | bc)
echo "pull and convert of a $(du -sh "$work/images/multi" | cut -f1) ${ref##*/} image ($(ls "$work/images/multi/blobs/sha256" | wc -l) blobs): berth ${berth_convert}s, skopeo+umoci+mksquashfs ${peer_convert}s"
echo "  berth/peer = $(ratio "$berth_convert" "$peer_convert") (goal <= 0.5)"
fi

# ---- 3. parallel reads of 1 GiB ----
[[ $parts == *3* ]] || exit 0

as_user "$berth rmi bench/data:1 >/dev/null 2>&1; $berth import $work/images/data --name bench/data:1 >/dev/null && $berth exec bench/data:1 /bin/true"
rm -rf "$work/host-data" && umoci unpack --rootless --image "$work/images/data:latest" "$work/host-data" >/dev/null && chmod -R a+rX "$work/host-data"
read_all='read a _ < /proc/uptime; find DIR -type f | xargs -P 8 -n 4 cat > /dev/null; read b _ < /proc/uptime; echo $a $b'
seconds() { awk '{printf "%.2f", $2 - $1}'; }
for cache in cold warm; do
    [ "$cache" = cold ] && { sync; echo 3 > /proc/sys/vm/drop_caches; }
    host=$(as_user "sh -c '${read_all//DIR/$work/host-data/rootfs/data}'" | seconds)
    [ "$cache" = cold ] && { sync; echo 3 > /proc/sys/vm/drop_caches; }
    inside=$(as_user "$berth exec bench/data:1 sh -c '${read_all//DIR//data}'" | seconds)
    [ "$cache" = cold ] && { sync; echo 3 > /proc/sys/vm/drop_caches; }
    fuse=$(as_user "$berth exec --fuse bench/data:1 sh -c '${read_all//DIR//data}'" | seconds)
    echo "parallel read of 1 GiB, $cache page cache: host ${host}s, berth default (directory) ${inside}s, berth --fuse ${fuse}s"
    echo "  throughput inside/host: default $(ratio "$host" "$inside") (goal >= 0.8), --fuse $(ratio "$host" "$fuse")"
done
