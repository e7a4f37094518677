#!/usr/bin/env bash
# berth pull against skopeo copy, same image, same local docker-registry, one run.
#
#   pull     the Debian image of make-image.sh (5 gzip layers, ~180 MB compressed, ~390 MB
#            unpacked) from docker-registry on 127.0.0.1 into an empty berth store, and with
#            `skopeo copy docker://... oci:DIR` into an empty layout. Best and median of ROUNDS.
#   second   after base, pull app (base + one 40 MB layer): what berth downloads.
#   start-up `berth version` in the same rounds: the JVM's share of berth's time.
#
# Usage: flock /tmp/berth-build.lock bench/pull/run.sh [ROUNDS]   (default 5; the lock keeps builds quiet)
# Needs: docker-registry, skopeo, python3, and the image cache (made by make-image.sh on first use).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-5}
cache=${BERTH_BENCH_CACHE:-/var/tmp/berth-bench}
for tool in docker-registry skopeo python3; do
    command -v "$tool" >/dev/null || { echo "bench/pull: needs $tool (apt-get install $tool)" >&2; exit 1; }
done
"$(dirname "$0")/make-image.sh" "$cache"

work=$(mktemp -d)
registry_pid=""
cleanup() {
    # Under set -e a failing wait (the killed registry's status) would end this function before
    # the rm, leaving the 600 MB work directory behind after every run.
    if [ -n "$registry_pid" ]; then
        kill "$registry_pid" 2>/dev/null || true
        wait "$registry_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/registry.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
host="127.0.0.1:$port"
for tag in base app; do
    skopeo copy -q --dest-tls-verify=false "oci:$cache/layout:$tag" "docker://$host/bench/debian:$tag"
done

"$root/bin/berth" version >/dev/null    # builds the checkout when stale, and trains its start-up cache
# An untimed pull trains the cache of the commands that move images. The launcher trains caches
# in the background after a build; let them finish, not compete.
"$root/bin/berth" --data-dir "$work/warm" pull -q "$host/bench/debian:app" >/dev/null
for _ in $(seq 1 120); do pgrep -f AOTCacheOutput >/dev/null || break; sleep 1; done
"$root/bin/berth" version >/dev/null
rm -rf "$work/warm"

seconds() { python3 -c 'import sys,time; t=time.perf_counter(); import subprocess; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); print(f"{time.perf_counter()-t:.3f}")' "$@"; }

berth_times=(); skopeo_times=(); start_times=()
for round in $(seq 1 "$rounds"); do
    start_times+=("$(seconds "$root/bin/berth" version)")
    rm -rf "$work/data" "$work/oci"; sync
    berth_times+=("$(seconds "$root/bin/berth" --data-dir "$work/data" pull -q "$host/bench/debian:base")")
    rm -rf "$work/data" "$work/oci"; sync
    skopeo_times+=("$(seconds skopeo copy -q --src-tls-verify=false "docker://$host/bench/debian:base" "oci:$work/oci:base")")
    echo "round $round: berth ${berth_times[-1]} s, skopeo ${skopeo_times[-1]} s"
done

python3 - "${berth_times[*]}" "${skopeo_times[*]}" "${start_times[*]}" <<'PY'
import statistics, sys
berth = [float(x) for x in sys.argv[1].split()]
skopeo = [float(x) for x in sys.argv[2].split()]
start = [float(x) for x in sys.argv[3].split()]
print(f"berth start-up alone ('berth version'): best {min(start):.2f} s, median {statistics.median(start):.2f} s")
for name, f in (("best", min), ("median", statistics.median)):
    print(f"{name:6}  berth {f(berth):6.2f} s   skopeo {f(skopeo):6.2f} s   berth/skopeo {f(berth)/f(skopeo):.2f}  (target <= 0.70)")
PY

echo "second pull (app shares base's five layers; the store already has base):"
"$root/bin/berth" --data-dir "$work/data" pull -q "$host/bench/debian:base" >/dev/null
"$root/bin/berth" --data-dir "$work/data" pull "$host/bench/debian:app" | sed 's/^/  /'
