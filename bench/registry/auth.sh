#!/usr/bin/env bash
# What authentication costs, in one run: berth open (no [auth]) and berth with [auth] (bearer
# tokens), beside docker-registry with htpasswd (Basic auth on every request), same load
# generator (hey). Prints each figure and the ratios issue 13 asks for.
#
#   manifest GET by tag, 32 clients   berth with a bearer token vs berth open (anonymous), and
#                                     vs docker-registry with Basic credentials
#   token endpoint, 16 clients        GET /auth/token with a personal access token as the
#                                     password, for one repository's pull: tokens/s and p99, after 10 s of
#                                     the same load (reported too) that warms the JIT on that path
#   monolithic vs streamed push       a new 256 MiB blob as POST + one PUT carrying the body (as
#                                     containerd and nerdctl push) vs POST + PATCH + PUT, on berth
#                                     open, best of 3 after 2 untimed pushes, by the requests' own times
#
# Usage: bench/registry/auth.sh [SECONDS_PER_LOAD_TEST]   (default 10)
# Needs: hey, curl, docker-registry, htpasswd (apache2-utils), python3. Run it on a quiet machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-10}
for tool in hey curl docker-registry htpasswd python3; do
    command -v "$tool" >/dev/null || { echo "bench/registry/auth: needs $tool" >&2; exit 1; }
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
digest() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
size() { stat -c %s "$1"; }

"$root/bin/berth" version >/dev/null     # builds the checkout when stale, before anything is timed

# Sets $started_url. Not run in a command substitution: its subshell would keep the pid from cleanup.
start_berth() { # NAME [CONFIG]
    local args=(serve --listen 127.0.0.1:0 --root "$work/$1")
    [ -z "${2:-}" ] || args+=(--config "$2")
    "$root/bin/berth" "${args[@]}" >"$work/$1.out" 2>"$work/$1.log" &
    pids+=($!)
    for _ in $(seq 1 300); do grep -q 'listening on' "$work/$1.out" 2>/dev/null && break; sleep 0.1; done
    started_url=$(grep -o 'http://[0-9.:]*' "$work/$1.out")
}
start_berth open
open_url=$started_url
printf '[auth]\n' >"$work/auth.toml"
start_berth auth "$work/auth.toml"
auth_url=$started_url
admin_password=$(sed -n 's/^admin password: //p' "$work/auth.log")

ref_port=$(free_port)
htpasswd -Bbc "$work/htpasswd" bench bench-password 2>/dev/null
cat >"$work/ref.yml" <<EOF
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/ref
auth:
  htpasswd:
    realm: bench
    path: $work/htpasswd
http:
  addr: 127.0.0.1:$ref_port
EOF
docker-registry serve "$work/ref.yml" >"$work/ref.log" 2>&1 &
pids+=($!)
ref_url="http://127.0.0.1:$ref_port"
for _ in $(seq 1 200); do curl -s -o /dev/null "$ref_url/v2/" && break; sleep 0.1; done

# ---- a public project on the authenticated berth, and a personal access token for admin
api() { curl -fsS -u "admin:$admin_password" -H 'Content-Type: application/json' "$@"; }
api -d '{"name":"bench","class":"public"}' "$auth_url/berth/v1/projects" -o /dev/null
pat=$(api -d '{"name":"bench"}' "$auth_url/berth/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
push_token=$(curl -fsS -u "admin:$pat" "$auth_url/auth/token?service=berth&scope=repository:bench/app:pull,push" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# ---- content: a small image in each registry
head -c $((1 << 20)) /dev/urandom >"$work/1m"
echo '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' >"$work/config"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
    "$(digest "$work/config")" "$(size "$work/config")" "$(digest "$work/1m")" "$(size "$work/1m")" >"$work/manifest"
location() { tr -d '\r' <"$work/headers" | sed -n 's/^[Ll]ocation: //p'; }
absolute() { case "$2" in http*) echo "$2" ;; *) echo "$1$2" ;; esac; }
with_digest() { case "$1" in *\?*) echo "$1&digest=$2" ;; *) echo "$1?digest=$2" ;; esac; }
upload() { # URL REPO FILE CURL_AUTH...
    local url=$1 repo=$2 file=$3; shift 3
    curl -fsS "$@" -X POST -D "$work/headers" -o /dev/null "$url/v2/$repo/blobs/uploads/"
    curl -fsS "$@" -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$file" \
        "$(with_digest "$(absolute "$url" "$(location)")" "$(digest "$file")")" -o /dev/null
}
publish() { # URL CURL_AUTH...
    local url=$1; shift
    upload "$url" bench/app "$work/config" "$@"
    upload "$url" bench/app "$work/1m" "$@"
    curl -fsS "$@" -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$work/manifest" \
        "$url/v2/bench/app/manifests/latest" -o /dev/null
}
publish "$open_url"
publish "$auth_url" -H "Authorization: Bearer $push_token"
publish "$ref_url" -u bench:bench-password
pull_token=$(curl -fsS -u "admin:$pat" "$auth_url/auth/token?service=berth&scope=repository:bench/app:pull" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

rps() { sed -n 's/^[[:space:]]*Requests\/sec:[[:space:]]*\([0-9.]*\).*/\1/p' "$1"; }
p99() { sed -n 's/^[[:space:]]*99% in \([0-9.]*\) secs.*/\1/p' "$1"; }
statuses() { sed -n '/Status code distribution/,$p' "$1" | tr -s ' ' | tr '\n' ' '; }
accept='Accept: application/vnd.oci.image.manifest.v1+json'
manifest_warm() { # URL HEY_AUTH...
    local url=$1; shift
    hey -z 3s -c 32 -H "$accept" "$@" "$url/v2/bench/app/manifests/latest" >/dev/null
}
manifest_load() { # NAME URL HEY_AUTH...
    local name=$1 url=$2; shift 2
    hey -z "${seconds}s" -c 32 -H "$accept" "$@" "$url/v2/bench/app/manifests/latest" >"$work/$name.hey"
    grep -q '\[200\]' "$work/$name.hey" || { echo "bench/registry/auth: $name got no 200s: $(statuses "$work/$name.hey")" >&2; exit 1; }
}
# berth open and berth with tokens alternate, three rounds each, and each keeps its median round:
# one round of each after the other moved their ratio by 0.08 from run to run
bearer=(-H "Authorization: Bearer $pull_token")
manifest_warm "$open_url"; manifest_warm "$auth_url" "${bearer[@]}"
for round in 1 2 3; do
    manifest_load "open-$round" "$open_url"
    manifest_load "bearer-$round" "$auth_url" "${bearer[@]}"
done
for name in open bearer; do
    median=$(for round in 1 2 3; do echo "$(rps "$work/$name-$round.hey") $round"; done | sort -n | sed -n 2p | cut -d' ' -f2)
    cp "$work/$name-$median.hey" "$work/$name.hey"
done
manifest_warm "$ref_url" -H "Authorization: Basic $(printf bench:bench-password | base64 -w0)"
manifest_load htpasswd "$ref_url" -H "Authorization: Basic $(printf bench:bench-password | base64 -w0)"

token_url="$auth_url/auth/token?service=berth&scope=repository:bench/app:pull"
pat_basic="Authorization: Basic $(printf '%s' "admin:$pat" | base64 -w0)"     # hey's own -a sends nothing in Debian's 0.1.4
# The registry has served manifests for a minute by now, but no tokens: the JIT compiles the
# token path (sign-in, policy, JWT) during its first seconds of load. Those seconds are reported
# on their own; the measured load is the warm registry's, as for the manifests.
hey -z 10s -c 16 -H "$pat_basic" "$token_url" >"$work/token-warm-up.hey"
hey -z "${seconds}s" -c 16 -H "$pat_basic" "$token_url" >"$work/token.hey"
grep -q '\[200\]' "$work/token.hey" || { echo "bench/registry/auth: the token endpoint got no 200s: $(statuses "$work/token.hey")" >&2; exit 1; }

# ---- monolithic vs streamed push of new 256 MiB blobs, on berth open
head -c $((256 << 20)) /dev/urandom >"$work/256m"
for i in 0 1 2 3 4 5 6 7 8 9; do
    { head -c 4096 /dev/urandom; tail -c +4097 "$work/256m"; } >"$work/push-$i"
done
sync
monolithic() { # FILE -> seconds
    local post put
    post=$(curl -fsS -X POST -D "$work/headers" -o /dev/null -w '%{time_total}' "$open_url/v2/bench/push/blobs/uploads/")
    put=$(curl -fsS -X PUT -H 'Content-Type: application/octet-stream' -T "$1" -o /dev/null -w '%{time_total}' \
        "$(with_digest "$(absolute "$open_url" "$(location)")" "$(digest "$1")")")
    python3 -c "print($post + $put)"
}
streamed() { # FILE -> seconds
    local post patch put
    post=$(curl -fsS -X POST -D "$work/headers" -o /dev/null -w '%{time_total}' "$open_url/v2/bench/push/blobs/uploads/")
    patch=$(curl -fsS -X PATCH -H 'Content-Type: application/octet-stream' -T "$1" -D "$work/headers" -o /dev/null \
        -w '%{time_total}' "$(absolute "$open_url" "$(location)")")
    put=$(curl -fsS -X PUT "$(with_digest "$(absolute "$open_url" "$(location)")" "$(digest "$1")")" -o /dev/null -w '%{time_total}')
    python3 -c "print($post + $patch + $put)"
}
best_mono=1e9; best_stream=1e9
for i in 0 1 2 3 4; do     # alternating, the first two of each untimed
    m=$(monolithic "$work/push-$((2 * i))"); s=$(streamed "$work/push-$((2 * i + 1))")
    [ "$i" -ge 2 ] || continue
    best_mono=$(python3 -c "print(min($m, $best_mono))"); best_stream=$(python3 -c "print(min($s, $best_stream))")
done

python3 - "$seconds" "$(rps "$work/open.hey")" "$(rps "$work/bearer.hey")" "$(rps "$work/htpasswd.hey")" \
    "$(p99 "$work/open.hey")" "$(p99 "$work/bearer.hey")" "$(p99 "$work/htpasswd.hey")" \
    "$(rps "$work/token.hey")" "$(p99 "$work/token.hey")" "$(rps "$work/token-warm-up.hey")" "$(p99 "$work/token-warm-up.hey")" \
    "$best_mono" "$best_stream" <<'PY'
import sys
secs, *v = sys.argv[1:]
openr, bearer, htp, openp, bearerp, htpp, tokens, tokenp, cold_tokens, cold_tokenp, mono, stream = (float(x) for x in v)
print(f"bench/registry/auth: {secs}s per load test, hey; berth open, berth with [auth], docker-registry with htpasswd")
print(f"{'workload':52} {'value':>10} {'vs':>12} {'ratio':>7}  target")
rows = [
    ("manifest GET, bearer token vs anonymous (req/s)", bearer, openr, bearer / openr, ">= 0.9x"),
    ("manifest GET, bearer token vs htpasswd (req/s)", bearer, htp, bearer / htp, "report (issue 3: >= 10x)"),
    ("manifest GET p99, bearer / anonymous / htpasswd (ms)", bearerp * 1000, openp * 1000, bearerp / openp, f"htpasswd {htpp * 1000:.1f} ms"),
    ("token endpoint with a personal token (tokens/s)", tokens, 1000, tokens / 1000, ">= 1000/s"),
    ("token endpoint p99 (ms)", tokenp * 1000, 20, tokenp * 1000 / 20, "<= 20 ms"),
    ("first 10 s of tokens, while the JIT warms (tokens/s)", cold_tokens, 1000, cold_tokens / 1000, "report"),
    ("first 10 s of tokens, p99 (ms)", cold_tokenp * 1000, 20, cold_tokenp * 1000 / 20, "report"),
    ("256 MiB push, monolithic PUT vs PATCH (MB/s)", 256 / mono, 256 / stream, stream / mono, ">= 0.9x"),
]
for name, a, b, ratio, target in rows:
    print(f"{name:52} {a:10.1f} {b:12.1f} {ratio:7.2f}  {target}")
PY
