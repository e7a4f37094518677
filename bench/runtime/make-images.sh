#!/usr/bin/env bash
# Builds the benchmark images as OCI layouts with umoci (no registry or internet needed):
#   small: busybox-static, for start latency
#   data:  busybox + 1 GiB of random data in 64 files, for parallel reads
#   multi: a multi-layer image of Debian files (the host's /usr/lib/x86_64-linux-gnu, /usr/share/doc,
#          /usr/share/locale, /usr/share/zoneinfo), for pull-and-convert
set -euo pipefail
out=${1:?usage: make-images.sh OUTDIR [IMAGE...]}
shift
wanted=" ${*:-small data multi} "
mkdir -p "$out"
cd "$out"

new_image() { # name
    rm -rf "$1" "$1.bundle"
    umoci init --layout "$1" && umoci new --image "$1:latest"
    umoci unpack --rootless --image "$1:latest" "$1.bundle" >/dev/null
    mkdir -p "$1.bundle/rootfs/bin"
    cp /bin/busybox "$1.bundle/rootfs/bin/"
    for applet in sh true cat find xargs; do ln -s busybox "$1.bundle/rootfs/bin/$applet"; done
}
layer() { # name
    umoci repack --refresh-bundle --image "$1:latest" "$1.bundle" >/dev/null
}

if [[ $wanted == *" small "* ]]; then
new_image small; layer small
umoci config --image small:latest --config.cmd /bin/true --config.env PATH=/bin
fi

if [[ $wanted == *" data "* ]]; then
new_image data
mkdir -p data.bundle/rootfs/data
for i in $(seq -w 1 64); do head -c $((16 * 1024 * 1024)) /dev/urandom > "data.bundle/rootfs/data/f$i"; done
layer data
umoci config --image data:latest --config.env PATH=/bin
fi

if [[ $wanted == *" multi "* ]]; then
new_image multi; layer multi
for dir in /usr/lib/x86_64-linux-gnu /usr/share/doc /usr/share/locale /usr/share/zoneinfo; do
    mkdir -p "multi.bundle/rootfs$(dirname "$dir")"
    cp -a "$dir" "multi.bundle/rootfs$dir"
    layer multi
done
umoci config --image multi:latest --config.env PATH=/bin
fi
rm -rf ./*.bundle
for image in $wanted; do umoci gc --layout "$image"; done
chmod -R a+rX "$out"
