#!/usr/bin/env bash
# tests/consumer/run.sh - proof that icrl is usable from outside its own build, in both ways a
# user takes it (docs/guide.md, "The installed library and the Meson subproject"):
#   1. installed: a light build of the source tree (the libraries only) is installed into
#      WORK_DIR/prefix; main.cpp is compiled with `g++ $(pkg-config --cflags --libs icrl)` and
#      run, and, when Box2D was found, cheetah.cpp with `pkg-config --cflags --libs icrl-box2d`;
#   2. subproject: a copy of this directory whose subprojects/icrl links to the source tree is
#      configured with --force-fallback-for (an installed icrl cannot stand in), built and run.
# main.cpp exits 0 only when its numbers are finite and its learned constraint is in (0, 1).
#
#   bash tests/consumer/run.sh SOURCE_ROOT WORK_DIR
#
# WORK_DIR is emptied first and kept afterwards for inspection (tests/meson.build passes one in
# the build tree); nothing is written to the source tree. Needs g++ (or $CXX), meson, ninja and
# pkg-config.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: run.sh SOURCE_ROOT WORK_DIR" >&2
  exit 2
fi
src="$(cd "$1" && pwd)"
here="$src/tests/consumer"
rm -rf "$2"
mkdir -p "$2"
work="$(cd "$2" && pwd)"
cxx="${CXX:-g++}"
jobs=2  # compiling main.cpp takes about 1.3 GB

step() { echo "=== $* (${SECONDS} s so far)"; }

# Runs a program built here and says which one failed.
run() {
  "$@" || { echo "run.sh: $1 exited with status $?" >&2; exit 1; }
}

# quiet LOG COMMAND...: runs a build command with its output in WORK_DIR/LOG, shown on failure.
quiet() {
  local log="$work/$1"
  shift
  "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "run.sh: '$*' failed (output above, in $log)" >&2; exit 1; }
}

# ---- 1. the installed package ----------------------------------------------------------------
step "light build of $src, installed into $work/prefix"
quiet icrl-setup.log meson setup "$work/icrl-build" "$src" --prefix "$work/prefix" --libdir lib \
  --buildtype release -Dtests=false -Dexamples=false -Dcli=false -Dbenchmarks=false
quiet icrl-compile.log meson compile -C "$work/icrl-build" -j "$jobs"
quiet icrl-install.log meson install -C "$work/icrl-build" --no-rebuild

# The environment a user of the installed package has (restored for part 2).
saved_pkg_config_path="${PKG_CONFIG_PATH:-}"
saved_ld_library_path="${LD_LIBRARY_PATH:-}"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
export LD_LIBRARY_PATH="$work/prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
pkg-config --print-errors --exists icrl
echo "pkg-config --cflags --libs icrl: $(pkg-config --cflags --libs icrl)"

step "main.cpp against the installed icrl"
# shellcheck disable=SC2046  # pkg-config prints a list of flags
"$cxx" -std=c++17 -O2 -Wall -Wextra "$here/main.cpp" -o "$work/consumer" $(pkg-config --cflags --libs icrl)
run "$work/consumer"

if pkg-config --exists icrl-box2d; then
  step "cheetah.cpp against the installed icrl-box2d"
  # shellcheck disable=SC2046
  "$cxx" -std=c++17 -O2 -Wall -Wextra "$here/cheetah.cpp" -o "$work/cheetah" \
    $(pkg-config --cflags --libs icrl-box2d)
  run "$work/cheetah"
else
  echo "(no icrl-box2d.pc: icrl was built without Box2D, cheetah.cpp is left out)"
fi

# ---- 2. icrl as a Meson subproject -------------------------------------------------------------
step "the same programs with icrl as a Meson subproject"
export PKG_CONFIG_PATH="$saved_pkg_config_path" LD_LIBRARY_PATH="$saved_ld_library_path"
mkdir -p "$work/project/subprojects"
cp "$here/meson.build" "$here/main.cpp" "$here/cheetah.cpp" "$work/project/"
ln -s "$src" "$work/project/subprojects/icrl"
quiet project-setup.log meson setup "$work/project-build" "$work/project" --force-fallback-for=icrl,icrl-box2d
quiet project-compile.log meson compile -C "$work/project-build" -j "$jobs"
# The programs must link the subproject's library, not an installed one.
libs="$(ldd "$work/project-build/consumer")"
if ! grep -q "project-build/.*subprojects/icrl/icrl/libicrl\.so" <<<"$libs"; then
  echo "run.sh: consumer does not link the subproject's libicrl:" >&2
  echo "$libs" >&2
  exit 1
fi
run "$work/project-build/consumer"
if [ -x "$work/project-build/cheetah" ]; then
  run "$work/project-build/cheetah"
fi

step "done"
