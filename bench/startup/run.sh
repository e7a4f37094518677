#!/usr/bin/env bash
# Start-up of `berth version`: the launcher with and without the JDK AOT cache, and the bare JVM
# running the same main class with the launcher's flags (so the difference is the launcher
# script itself), all in one run. Needs hyperfine (Debian package `hyperfine`).
# Usage: bench/startup/run.sh [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-40}
command -v hyperfine >/dev/null || { echo "bench/startup: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

java_home=$(BERTH_PRINT_JAVA_HOME=1 "$root/bin/berth")
"$root/bin/berth" version >/dev/null                   # builds when stale
dist=$(mktemp -d)
trap 'rm -rf "$dist"' EXIT
tar xzf "$root"/berth-cli/target/berth-*.tar.gz -C "$dist"
berth=$(echo "$dist"/berth-*/bin/berth)
lib=$(dirname "$(dirname "$berth")")/lib
export XDG_CACHE_HOME="$dist/cache"

"$berth" version >/dev/null                            # first run: trains the AOT cache in the background
for _ in $(seq 1 60); do ls "$XDG_CACHE_HOME"/berth/aot/*-all.aot >/dev/null 2>&1 && break; sleep 0.5; done

json="$dist/result.json"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$json" \
    -n "java -version (JVM floor)" "$java_home/bin/java -XX:+UseSerialGC -XX:-UsePerfData -version" \
    -n "java -cp lib/* Main version (no launcher)" "$java_home/bin/java -XX:+UseSerialGC -XX:-UsePerfData -Xss1m --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -cp $lib/* dev.berth.cli.Main version" \
    -n "bin/berth version, BERTH_AOT=0" "env BERTH_AOT=0 $berth version" \
    -n "bin/berth version, AOT cache" "$berth version" >/dev/null

python3 - "$json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
by_name = {r["command"]: r for r in results}
for r in results:
    cpu = (r["user"] + r["system"]) * 1000
    print(f'{r["command"]:45s} median {r["median"]*1000:7.1f} ms  mean {r["mean"]*1000:7.1f} ms  sd {r["stddev"]*1000:5.1f} ms  cpu {cpu:6.1f} ms')
plain = by_name["bin/berth version, BERTH_AOT=0"]["median"]
aot = by_name["bin/berth version, AOT cache"]["median"]
direct = by_name["java -cp lib/* Main version (no launcher)"]["median"]
print(f"AOT cache / no AOT cache (median): {aot/plain:.2f}x")
print(f"launcher overhead (bin/berth without AOT - direct java, median): {(plain-direct)*1000:.1f} ms")
launcher = by_name["bin/berth version, BERTH_AOT=0"]
bare = by_name["java -cp lib/* Main version (no launcher)"]
print(f"launcher overhead in CPU time (user+sys, mean): {((launcher['user']+launcher['system'])-(bare['user']+bare['system']))*1000:.1f} ms")
PY
