#!/usr/bin/env bash
# Installs what building, testing and the demo need on Debian 12, as root.
# Does nothing when everything is already there.
set -euo pipefail

packages=(
  gcc pkg-config meson ninja-build
  libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  libsoup-3.0-dev libjson-glib-dev libturbojpeg0-dev
  libgrpc-dev protobuf-c-compiler libprotobuf-c-dev
  python3 python3-websockets python3-grpcio python3-grpc-tools python3-pil
  python3-prometheus-client
  gobject-introspection libgirepository1.0-dev gir1.2-gstreamer-1.0
  python3-gi python3-gst-1.0
  curl procps openssl
)
if [ "${1:-}" = "--bench" ]; then
  packages+=(wrk hyperfine valgrind haproxy python3-aiohttp)
fi
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "run as root (or with sudo) to install packages" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
