#!/usr/bin/env bash
# What trust costs, in one run (issue 14; figures in docs/benchmarks.md#trust):
#   verify  berth verify REF --keys DIR of an image with 3 signatures by 3 keys (each signature is
#           both a cosign .sig layer and a Sigstore bundle referrer, and verify checks both) and 2
#           attestations (the registry's push attestations of two pushes) vs berth inspect
#           docker://REF of the same remote image; bar: <= 1.5x
#   policy  berth exec IMG sh -c true under a signed-by policy (the digest verified once before)
#           vs the same run with no policy; bar: <= 1.1x
# Medians of RUNS runs each, interleaved, after warm-up runs (the JDK's start-up cache is trained
# first). Usage: bench/trust/run.sh [RUNS]  (default 15). Needs skopeo, bc; run where berth exec works.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-15}
berth="$root/bin/berth"
for tool in skopeo bc; do
    command -v "$tool" >/dev/null || { echo "bench/trust: needs $tool" >&2; exit 1; }
done

work=$(mktemp -d)
serve=
cleanup() {
    [ -z "$serve" ] || kill "$serve" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export BERTH_DATA_DIR="$work/data" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
export BERTH_KEY_PASSWORD=bench-key-password

"$berth" version >/dev/null     # builds the checkout when stale, before anything is timed
"$berth" serve --listen 127.0.0.1:0 --root "$work/registry" >"$work/serve.out" 2>"$work/serve.log" &
serve=$!
for _ in $(seq 300); do grep -q 'listening on' "$work/serve.out" && break; sleep 0.1; done
host=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.out")
image="$host/bench/app:1"

"$root/scripts/sample-image" "$work/layout" >/dev/null
skopeo copy -q --dest-tls-verify=false "oci:$work/layout:latest" "docker://$image"
# a second push of the same manifest: the registry attaches a second push attestation
skopeo copy -q --src-tls-verify=false --dest-tls-verify=false "docker://$image" "docker://$host/bench/app:2"
mkdir -p "$work/keys"
for n in 1 2 3; do
    "$berth" key generate -o "$work/key$n" >/dev/null
    cp "$work/key$n.pub" "$work/keys/"
    "$berth" sign "$image" --key "$work/key$n.key" >/dev/null
done
"$berth" pull -q "$image" >/dev/null

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { echo "scale=2; $1 / $2" | bc; }
timed() { local t0; t0=$(now); "$@" >/dev/null 2>&1 || { echo "bench/trust: failed: $*" >&2; exit 1; }; echo "$(now) - $t0" | bc; }

policy="$work/config/berth/policy.toml"
with_policy() { mkdir -p "$(dirname "$policy")"; printf '[scope."%s"]\nrule = "signed-by"\nkeys = ["%s"]\n' "$host" "$work/keys/key1.pub" >"$policy"; }
without_policy() { rm -f "$policy"; }

# the launcher trains its start-up caches in the background on first use: let that finish first
wait_for_training() { for _ in $(seq 300); do pgrep -f AOTCacheOutput >/dev/null || return 0; sleep 1; done; }
wait_for_training
# warm-up: fills the start-up cache, converts the image, verifies the digest once under the policy
for _ in 1 2 3; do
    "$berth" verify "$image" --keys "$work/keys" >/dev/null
    "$berth" inspect "docker://$image" >/dev/null
    without_policy; "$berth" exec "$image" sh -c true
    with_policy; "$berth" exec "$image" sh -c true
done
wait_for_training

: >"$work/verify" >"$work/inspect" >"$work/plain" >"$work/policy"
for _ in $(seq "$runs"); do
    timed "$berth" verify "$image" --keys "$work/keys" >>"$work/verify"
    timed "$berth" inspect "docker://$image" >>"$work/inspect"
    without_policy; timed "$berth" exec "$image" sh -c true >>"$work/plain"
    with_policy; timed "$berth" exec "$image" sh -c true >>"$work/policy"
done
verify=$(median <"$work/verify"); inspect=$(median <"$work/inspect")
plain=$(median <"$work/plain"); guarded=$(median <"$work/policy")
echo "== trust benchmark on $(nproc) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each"
printf 'berth verify (3 signatures, 2 attest.) %.3f s\n' "$verify"
printf 'berth inspect docker://                %.3f s   verify/inspect = %sx (bar <= 1.5x)\n' "$inspect" "$(ratio "$verify" "$inspect")"
printf 'berth exec, no policy                  %.3f s\n' "$plain"
printf 'berth exec, signed-by policy           %.3f s   policy/none = %sx (bar <= 1.1x)\n' "$guarded" "$(ratio "$guarded" "$plain")"
