#!/usr/bin/env bash
# scripts/setup.sh - install what icrl needs (Debian 12, Ubuntu, Raspberry Pi OS), configure,
# build, then run the main job or the tests. Safe to run again: it only installs what is missing
# and reuses an existing build directory.
#
#   bash scripts/setup.sh run     install, build (release), run the main job
#   bash scripts/setup.sh test    install, build, run every registered test (meson test)
#   bash scripts/setup.sh build   install and build only
#
# Environment (all optional):
#   BUILD_DIR   build directory                                    (default: build, or build-$CROSS)
#   BUILDTYPE   meson buildtype: release, debug, debugoptimized     (default: release)
#   CROSS       aarch64 or armhf: cross-build with cross/*.ini and run the tests under qemu
#   MESON_ARGS  extra `meson setup` arguments, e.g. "-Db_sanitize=address,undefined -Dwerror=true"
#   CLANG       1: compile with clang (CC=clang CXX=clang++; installs clang and its sanitizer and
#               libFuzzer runtimes, libclang-rt-dev): what -Dfuzz=true needs (fuzz/meson.build)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
action="${1:-build}"
case "$action" in
  run|test|build) ;;
  *) echo "setup.sh: unknown action '$action' (accepted: run, test, build)" >&2; exit 2 ;;
esac

CROSS="${CROSS:-}"
BUILDTYPE="${BUILDTYPE:-release}"
MESON_ARGS="${MESON_ARGS:-}"
BUILD_DIR="${BUILD_DIR:-build${CROSS:+-$CROSS}}"
CLANG="${CLANG:-}"

# ---- 1. packages -----------------------------------------------------------------------------
packages=(g++ meson ninja-build pkg-config libeigen3-dev libbox2d-dev doctest-dev)
foreign_arch=""
cross_file=""
case "$CROSS" in
  "") ;;
  aarch64) foreign_arch=arm64; cross_file=cross/aarch64-linux-gnu.ini
           packages+=(g++-aarch64-linux-gnu qemu-user libbox2d-dev:arm64) ;;
  armhf)   foreign_arch=armhf; cross_file=cross/armhf-linux-gnueabihf.ini
           packages+=(g++-arm-linux-gnueabihf qemu-user libbox2d-dev:armhf) ;;
  *) echo "setup.sh: CROSS='$CROSS' is not supported (accepted: aarch64, armhf, or empty)" >&2; exit 2 ;;
esac
case "$CLANG" in
  "") ;;
  1) [ -z "$CROSS" ] || { echo "setup.sh: CLANG=1 builds natively; leave CROSS empty" >&2; exit 2; }
     packages+=(clang libclang-rt-dev)
     export CC=clang CXX=clang++ ;;
  *) echo "setup.sh: CLANG='$CLANG' is not supported (accepted: 1, or empty for g++)" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup.sh: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  if [ -n "$foreign_arch" ] && ! dpkg --print-foreign-architectures | grep -qx "$foreign_arch"; then
    $sudo dpkg --add-architecture "$foreign_arch"
  fi
  # One index failing (e.g. a security mirror caught mid-sync) should not stop the install: the
  # packages come from the main archive. If they really cannot be fetched, apt-get install fails.
  $sudo apt-get update -qq || echo "setup.sh: apt-get update reported errors; trying the install anyway" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- 2. configure and build ------------------------------------------------------------------
setup_args=(--buildtype="$BUILDTYPE")
[ -n "$cross_file" ] && setup_args+=(--cross-file "$cross_file")
# shellcheck disable=SC2206
setup_args+=($MESON_ARGS)
if [ -f "$BUILD_DIR/build.ninja" ]; then
  meson setup --reconfigure "$BUILD_DIR" "${setup_args[@]}" >/dev/null
else
  meson setup "$BUILD_DIR" "${setup_args[@]}" >/dev/null
fi
ninja -C "$BUILD_DIR"

# ---- 3. run ----------------------------------------------------------------------------------
case "$action" in
  run)
    # The main job: ICRL (Algorithm 1) learns the lap-grid constraint from the 20 shipped expert
    # demonstrations (envs/data/lap-grid.demos), prints the learned constraint and the reward /
    # violations against the expert's; the run's files land in $out.
    out="$BUILD_DIR/runs/lap-grid-icrl"
    "$BUILD_DIR/cli/icrl" learn --env lap-grid --method icrl --seed 1 --out "$out"
    cat "$out/summary.json"
    ;;
  test)
    meson test -C "$BUILD_DIR" --print-errorlogs
    ;;
  build) ;;
esac
