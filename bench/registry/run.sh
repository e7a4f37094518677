#!/usr/bin/env bash
# berth serve against docker-registry (the CNCF reference registry, Debian package), same workload,
# same load generator (hey), one run, both with their default configuration (access logs on, to a
# file). Prints each figure and berth's ratio.
#
#   manifest GET by tag      32 clients, requests/s and p99 latency
#   1 MiB blob GET           32 clients, requests/s
#   large blob GET           4 clients, 256 MiB blob, MB/s
#   single-stream push       a 256 MiB blob new to the registry: POST, streamed PATCH, PUT ?digest,
#                            MB/s (best of 3, after 2 untimed pushes that warm the upload path
#                            up), timed by the requests themselves; the wall time with curl's
#                            starts beside it
#   peak RSS                 VmHWM of each server process at the end
#
# Usage: bench/registry/run.sh [SECONDS_PER_LOAD_TEST]   (default 10)
# Needs: hey, curl, docker-registry, python3. Run it on a quiet machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-10}
for tool in hey curl docker-registry python3; do
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

"$root/bin/berth" version >/dev/null     # builds the checkout when stale, before anything is timed

# ---- the two registries
"$root/bin/berth" serve --listen 127.0.0.1:0 --root "$work/berth" >"$work/berth.out" 2>"$work/berth.log" &
pids+=($!); berth_pid=$!
for _ in $(seq 1 200); do grep -q 'listening on' "$work/berth.out" 2>/dev/null && break; sleep 0.1; done
berth_url=$(grep -o 'http://[0-9.:]*' "$work/berth.out")

ref_port=$(free_port)
mkdir -p "$work/ref"
cat >"$work/ref.yml" <<EOF
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/ref
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$ref_port
EOF
docker-registry serve "$work/ref.yml" >"$work/ref.log" 2>&1 &
pids+=($!); ref_pid=$!
ref_url="http://127.0.0.1:$ref_port"
for _ in $(seq 1 200); do curl -fs "$ref_url/v2/" >/dev/null 2>&1 && break; sleep 0.1; done

# ---- content: one small image, a 1 MiB blob, a 256 MiB blob
head -c $((1 << 20)) /dev/urandom >"$work/1m"
head -c $((256 << 20)) /dev/urandom >"$work/256m"
echo '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' >"$work/config"
digest() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
size() { stat -c %s "$1"; }
# Five more 256 MiB blobs for the pushes, each new to both registries (clients skip blobs that a
# registry has, so no push uploads one twice): the big blob with its first 4 KiB replaced.
push_blobs=(); push_digests=()
for i in 1 2 3 4 5; do
    { head -c 4096 /dev/urandom; tail -c +4097 "$work/256m"; } >"$work/push-$i"
    push_blobs+=("$work/push-$i"); push_digests+=("$(digest "$work/push-$i")")
done
sync    # nothing left for the kernel to write back while the registries are timed

# The Location of the last response (headers saved in $work/headers), made absolute.
header_location() { # BASE_URL
    local location
    location=$(tr -d '\r' <"$work/headers" | sed -n 's/^[Ll]ocation: //p')
    case "$location" in http*) echo "$location" ;; *) echo "$1$location" ;; esac
}
# An upload's Location with ?digest= (or &digest=) added, to close the upload with.
closing_url() { # LOCATION DIGEST
    case "$1" in *\?*) echo "$1&digest=$2" ;; *) echo "$1?digest=$2" ;; esac
}

# Monolithic upload: POST for a session, PUT the bytes with ?digest= (works on both registries).
upload() { # URL REPO FILE
    curl -fsS -X POST -D "$work/headers" -o /dev/null "$1/v2/$2/blobs/uploads/"
    curl -fsS -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$3" \
        "$(closing_url "$(header_location "$1")" "$(digest "$3")")" -o /dev/null
}

# Streamed push the way docker and podman do it: POST, one PATCH with the whole body, PUT ?digest=.
# Prints the push's time as the sum of the three requests' own times (curl's time_total, from the
# start of each request to its last response byte), then its wall time including the start of
# three curl processes and the shell between them, which docker and podman do not pay (they push
# from one process over kept-alive connections).
push_stream() { # URL REPO FILE DIGEST -> "REQUEST_SECONDS WALL_SECONDS"
    local start end post patch put
    start=$(date +%s.%N)
    post=$(curl -fsS -X POST -D "$work/headers" -o /dev/null -w '%{time_total}' "$1/v2/$2/blobs/uploads/")
    patch=$(curl -fsS -X PATCH -H 'Content-Type: application/octet-stream' -T "$3" -D "$work/headers" -o /dev/null \
        -w '%{time_total}' "$(header_location "$1")")
    put=$(curl -fsS -X PUT "$(closing_url "$(header_location "$1")" "$4")" -o /dev/null -w '%{time_total}')
    end=$(date +%s.%N)
    python3 -c "print($post + $patch + $put, $end - $start)"
}

manifest="$work/manifest"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
    "$(digest "$work/config")" "$(size "$work/config")" "$(digest "$work/1m")" "$(size "$work/1m")" >"$manifest"

for url in "$berth_url" "$ref_url"; do
    upload "$url" bench/app "$work/config"
    upload "$url" bench/app "$work/1m"
    upload "$url" bench/app "$work/256m"
    curl -fsS -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$manifest" \
        "$url/v2/bench/app/manifests/latest" -o /dev/null
done

accept='Accept: application/vnd.oci.image.manifest.v1+json'
hey_run() { # OUTFILE ARGS...
    local out=$1; shift
    hey "$@" >"$out"
}
rps() { sed -n 's/^[[:space:]]*Requests\/sec:[[:space:]]*\([0-9.]*\).*/\1/p' "$1"; }
p99() { sed -n 's/^[[:space:]]*99% in \([0-9.]*\) secs.*/\1/p' "$1"; }
total() { sed -n 's/^[[:space:]]*Total:[[:space:]]*\([0-9.]*\) secs.*/\1/p' "$1"; }

declare -A result
for name in berth ref; do
    if [ "$name" = berth ]; then url=$berth_url; else url=$ref_url; fi
    # warm up both the same way (the JVM needs it; it does not hurt Go)
    hey -z 3s -c 32 -H "$accept" "$url/v2/bench/app/manifests/latest" >/dev/null
    hey -z 2s -c 32 "$url/v2/bench/app/blobs/$(digest "$work/1m")" >/dev/null

    hey_run "$work/$name.manifest" -z "${seconds}s" -c 32 -H "$accept" "$url/v2/bench/app/manifests/latest"
    result[$name.manifest_rps]=$(rps "$work/$name.manifest")
    result[$name.manifest_p99]=$(p99 "$work/$name.manifest")

    hey_run "$work/$name.blob1m" -z "${seconds}s" -c 32 "$url/v2/bench/app/blobs/$(digest "$work/1m")"
    result[$name.blob1m_rps]=$(rps "$work/$name.blob1m")

    hey_run "$work/$name.large" -n 16 -c 4 "$url/v2/bench/app/blobs/$(digest "$work/256m")"
    result[$name.large_mbs]=$(python3 -c "print(16 * 256 / $(total "$work/$name.large"))")

    # the upload path warmed up the same way too: two untimed pushes, then the best of three
    best=""; best_wall=""
    for i in 0 1 2 3 4; do
        read -r t wall < <(push_stream "$url" "bench/push" "${push_blobs[$i]}" "${push_digests[$i]}")
        [ "$i" -ge 2 ] || continue
        best=$(python3 -c "print(min(float('$t'), float('${best:-1e9}')))")
        best_wall=$(python3 -c "print(min(float('$wall'), float('${best_wall:-1e9}')))")
    done
    result[$name.push_mbs]=$(python3 -c "print(256 / $best)")
    result[$name.push_wall_mbs]=$(python3 -c "print(256 / $best_wall)")
done

result[berth.rss]=$(awk '/VmHWM/ {print $2}' "/proc/$berth_pid/status")
result[ref.rss]=$(awk '/VmHWM/ {print $2}' "/proc/$ref_pid/status")

python3 - "$seconds" \
    "${result[berth.manifest_rps]}" "${result[ref.manifest_rps]}" \
    "${result[berth.manifest_p99]}" "${result[ref.manifest_p99]}" \
    "${result[berth.blob1m_rps]}" "${result[ref.blob1m_rps]}" \
    "${result[berth.large_mbs]}" "${result[ref.large_mbs]}" \
    "${result[berth.push_mbs]}" "${result[ref.push_mbs]}" \
    "${result[berth.push_wall_mbs]}" "${result[ref.push_wall_mbs]}" \
    "${result[berth.rss]}" "${result[ref.rss]}" <<'PY'
import sys
a = sys.argv[1:]
secs = a[0]
v = [float(x) for x in a[1:]]
rows = [
    ("manifest GET by tag, 32 clients (req/s)", v[0], v[1], v[0] / v[1], ">= 10x"),
    ("manifest GET by tag, 32 clients (p99 ms)", v[2] * 1000, v[3] * 1000, v[2] / v[3], "<= 0.1x"),
    ("1 MiB blob GET, 32 clients (req/s)", v[4], v[5], v[4] / v[5], ">= 3x"),
    ("256 MiB blob GET, 4 clients (MB/s)", v[6], v[7], v[6] / v[7], ">= 1x"),
    ("256 MiB single-stream push (MB/s)", v[8], v[9], v[8] / v[9], ">= 5x"),
    ("  same, wall with 3 curl starts (MB/s)", v[10], v[11], v[10] / v[11], "report"),
    ("peak RSS (MiB)", v[12] / 1024, v[13] / 1024, v[12] / v[13], "report"),
]
print(f"bench/registry: {secs}s per load test, hey, berth vs docker-registry")
print(f"{'workload':44} {'berth':>10} {'docker-registry':>16} {'ratio':>8}  target")
for name, b, r, ratio, target in rows:
    print(f"{name:44} {b:10.1f} {r:16.1f} {ratio:8.2f}  {target}")
PY
