#!/usr/bin/env bash
# Assembles Glass.app from a release build of `glass` (see docs/macos.md, "Deployment").
#
#   cargo build --release                      # on a Mac (or --target aarch64-apple-darwin)
#   packaging/macos/build-app.sh               # -> dist/Glass.app
#   packaging/macos/build-app.sh --binary target/universal/glass --out /tmp/dist
#
# A universal binary is made beforehand with
#   lipo -create -output target/universal/glass \
#     target/aarch64-apple-darwin/release/glass target/x86_64-apple-darwin/release/glass
#
# The bundle is unsigned; sign-and-notarize.sh signs it. Runs anywhere bash runs (the layout is
# checked in CI on Linux with a stand-in binary); `plutil -lint` is run when present.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
binary="$root/target/release/glass"
out="$root/dist"

die() {
  echo "build-app: $*" >&2
  exit 1
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --binary) binary=${2:?--binary needs a path}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done

[[ -f $binary ]] || die "no binary at $binary: build it first (cargo build --release on a Mac)"

# A Mach-O executable: 64-bit (cffaedfe), or universal (cafebabe). A Linux ELF would make an
# app that cannot start, so it is refused here rather than on the user's Mac.
magic=$(od -An -tx1 -N4 "$binary" | tr -d ' \n')
case "$magic" in
  cffaedfe | cafebabe) ;;
  *) die "$binary is not a macOS executable (magic $magic); build with --target *-apple-darwin" ;;
esac

version=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
[[ -n $version ]] || die "cannot read the version from $root/Cargo.toml"

app="$out/Glass.app"
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
sed "s/@VERSION@/$version/g" "$here/Info.plist" >"$app/Contents/Info.plist"
cp "$binary" "$app/Contents/MacOS/glass"
chmod 755 "$app/Contents/MacOS/glass"
printf 'APPL????' >"$app/Contents/PkgInfo"

if command -v plutil >/dev/null 2>&1; then
  plutil -lint "$app/Contents/Info.plist" >/dev/null || die "Info.plist does not parse"
fi
echo "$app"
