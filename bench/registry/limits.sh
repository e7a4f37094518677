#!/usr/bin/env bash
# Peak memory under many idle connections and many parallel uploads: berth serve (default limits)
# against docker-registry, same load from bench/registry/limits.py, everything on 127.0.0.1.
#
#   Usage: bench/registry/limits.sh [IDLE_CONNECTIONS] [PARALLEL_UPLOADS] [MIB_PER_UPLOAD]
#          (defaults 2000, 100, 16); REGISTRY_CONFIG=file.toml serves berth with that config file
# Prints, per registry, what the clients got back and the server's peak RSS (VmHWM).
# Needs: curl, docker-registry, python3. Bounded: every socket times out after 60 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
idle=${1:-2000}
uploads=${2:-100}
mib=${3:-16}
for tool in curl docker-registry python3; do
    command -v "$tool" >/dev/null || { echo "bench/registry: needs $tool (apt-get install $tool)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
peak_rss() { awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$1/status"; }
ulimit -n "$(ulimit -Hn)"

berth=${BERTH:-$root/bin/berth}   # BERTH=other/launcher measures another build
"$berth" version >/dev/null     # bin/berth builds the checkout when stale, before anything is measured

config_args=()
[ -n "${REGISTRY_CONFIG:-}" ] && config_args=(--config "$REGISTRY_CONFIG")
"$berth" serve --listen 127.0.0.1:0 --root "$work/berth" "${config_args[@]}" >"$work/berth.out" 2>"$work/berth.log" &
pids+=($!); berth_pid=$!
for _ in $(seq 1 200); do grep -q 'listening on' "$work/berth.out" 2>/dev/null && break; sleep 0.1; done
berth_url=$(grep -o 'http://[0-9.:]*' "$work/berth.out")

ref_port=$(free_port)
mkdir -p "$work/ref"
cat >"$work/ref.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/ref
http:
  addr: 127.0.0.1:$ref_port
YML
docker-registry serve "$work/ref.yml" >"$work/ref.log" 2>&1 &
pids+=($!); ref_pid=$!
ref_url="http://127.0.0.1:$ref_port"
for _ in $(seq 1 200); do curl -fs "$ref_url/v2/" >/dev/null 2>&1 && break; sleep 0.1; done

echo "load: $idle idle connections, then $uploads parallel uploads of $mib MiB each"
echo "berth serve (started at $(peak_rss "$berth_pid")):"
python3 "$root/bench/registry/limits.py" "$berth_url" "$idle" "$uploads" "$mib"
echo "  peak RSS $(peak_rss "$berth_pid"); refusals logged: $(grep -c 'max-connections\|TOOMANY\| 429 ' "$work/berth.log" || true)"
echo "docker-registry (started at $(peak_rss "$ref_pid")):"
python3 "$root/bench/registry/limits.py" "$ref_url" "$idle" "$uploads" "$mib"
echo "  peak RSS $(peak_rss "$ref_pid")"
