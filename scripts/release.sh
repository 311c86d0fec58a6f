#!/usr/bin/env bash
# Release archives, from this Linux machine:
#   dist/statusrapport-<version>-windows-x86_64.zip
#   dist/statusrapport-<version>-linux-x86_64.tar.gz
# Each holds the program (a release build, symbols stripped), the example
# reports (exempel/) and the Swedish guide for commentary writers
# (dokument/). The Windows archive also holds LÄSMIG.txt and the Task
# Scheduler definition nattbygge.xml; the Linux one the README.
#
# Needs: rustup target add x86_64-pc-windows-gnu; apt-get install
# gcc-mingw-w64-x86-64 (the linker and strip); python3 (the zip, with UTF-8
# names that Explorer shows right). The two release builds take about 20
# minutes on 2 cores.
#
# The archives are the same bytes for the same commit and binaries: files in
# name order, dated by the commit, no owners.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-$PWD/target}
version=$(cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["packages"][0]["version"])')
epoch=$(git log -1 --format=%ct)

cargo build --release --locked --target x86_64-pc-windows-gnu
cargo build --release --locked

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p dist

# Text for Windows: CRLF line endings and a UTF-8 byte order mark, so that
# every Notepad shows å, ä and ö.
windows_text() { printf '\xef\xbb\xbf' >"$2" && sed 's/\r*$/\r/' "$1" >>"$2"; }

# The parts both archives share.
common() {
  mkdir -p "$1/dokument"
  cp -r data "$1/exempel"
  cp docs/*.md "$1/dokument/"
}

windows=statusrapport-$version-windows-x86_64
common "$stage/$windows"
# The .exe's header carries a time; binutils takes it from SOURCE_DATE_EPOCH.
SOURCE_DATE_EPOCH=$epoch x86_64-w64-mingw32-strip -o "$stage/$windows/statusrapport.exe" \
  "$target/x86_64-pc-windows-gnu/release/statusrapport.exe"
windows_text docs/windows/LÄSMIG.txt "$stage/$windows/LÄSMIG.txt"
# Without a byte order mark: the XML declaration says UTF-8.
sed 's/\r*$/\r/' docs/windows/nattbygge.xml >"$stage/$windows/nattbygge.xml"
# The Wine tests' ProcessPrng shim must never reach a user.
if find "$stage/$windows" -iname 'bcryptprimitives.dll' | grep -q .; then
  echo "fel: bcryptprimitives.dll (bara för Wine-testerna) hamnade i arkivet" >&2
  exit 1
fi

linux=statusrapport-$version-linux-x86_64
common "$stage/$linux"
strip -o "$stage/$linux/statusrapport" "$target/release/statusrapport"
cp README.md "$stage/$linux/"

find "$stage" -exec touch -h -d "@$epoch" {} +
python3 - "$stage" "$windows" "dist/$windows.zip" <<'EOF'
import os, sys, time, zipfile
stage, name, archive = sys.argv[1:]
paths = []
for folder, folders, files in os.walk(os.path.join(stage, name)):
    paths += [os.path.join(folder, f) for f in files]
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zip:
    for path in sorted(paths):
        relative = os.path.relpath(path, stage)
        info = zipfile.ZipInfo(relative.replace(os.sep, "/"), time.gmtime(os.path.getmtime(path))[:6])
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(path, "rb") as source:
            zip.writestr(info, source.read())
EOF
tar -C "$stage" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -cf - "$linux" |
  gzip -9 -n >"dist/$linux.tar.gz"

ls -l "dist/$windows.zip" "dist/$linux.tar.gz"
