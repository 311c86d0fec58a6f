#!/usr/bin/env bash
# The Windows program, tested under Wine (issue 18). Not part of `cargo
# test`: it needs the x86_64-pc-windows-gnu Rust target, mingw-w64's gcc,
# wine and tmux, which .ci/run installs.
#
# Builds the debug .exe and its unit tests for Windows, and checks under
# Wine: the library's unit tests; every example builds to PDFs byte-
# identical to the Linux build; check gives the same messages; folders with
# drive letters, backslashes, spaces and å/ä/ö (a OneDrive folder); CRLF
# files; the output lock; a PDF held open by a reader is kept and the error
# says why; watch rebuilds after an edit; the console (a double-clicked
# program explains itself and waits, Swedish text, the progress bar); the
# Task Scheduler definition registers and its command writes the log and
# the manifest.
#
# Wine 8 lacks ProcessPrng in bcryptprimitives.dll, which Rust's standard
# library needs: a shim built from tests/windows/bcryptprimitives.c sits
# beside the .exe here, in the test folder only. Real Windows has it; the
# release archive never holds it.
#
# Ends with "N passed, M failed"; exits 1 if anything failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
target=${CARGO_TARGET_DIR:-$repo/target}
work=$target/wine-test
mkdir -p "$work"
export WINEPREFIX=$work/prefix WINEDEBUG=-all
# Wine turns arguments and console text into Windows text by the locale:
# UTF-8, for the å, ä and ö in folder names.
export LC_ALL=C.UTF-8
drive_c=$WINEPREFIX/drive_c
exe='C:\statusrapport\statusrapport.exe'
linux=$target/debug/statusrapport

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok      %s\n' "$1"; }
fail() {
  failed=$((failed + 1))
  printf 'FEL     %s\n' "$1"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | head -40 | sed 's/^/        /'; fi
}
step() { printf '\n--- %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }
# The program under Wine, with a time limit so that a hang fails the test.
win() { timeout 300 wine "$exe" "$@"; }
# sha256 of every PDF under a folder, by relative path.
pdf_sums() { (cd "$1" && find . -name '*.pdf' -print0 | sort -z | xargs -0 -r sha256sum); }
# Waits up to $3 seconds until file $1 contains $2.
wait_for() {
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
# Copies a tree and gives every .toml and .csv file CRLF line endings.
copy_crlf() {
  cp -r "$1" "$2"
  find "$2" -type f \( -name '*.toml' -o -name '*.csv' \) -print0 | xargs -0 python3 -c '
import sys
for path in sys.argv[1:]:
    data = open(path, "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    open(path, "wb").write(data)'
}

step "bygge för Windows (debug) och Linux"
cargo build --locked --quiet --target x86_64-pc-windows-gnu || exit 1
cargo build --locked --quiet || exit 1
unit_tests=$(cargo test --locked --quiet --target x86_64-pc-windows-gnu --lib --no-run --message-format=json |
  python3 -c 'import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable"):
        print(message["executable"])') || exit 1

step "Wine-prefix och testmappar"
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  wineboot -i >/dev/null 2>&1
  wineserver -w
fi
rm -rf "$drive_c/statusrapport" "$drive_c/Rapporter" "$drive_c/Användare" "$work/linux"
mkdir -p "$drive_c/statusrapport" "$drive_c/Rapporter" "$work/linux"
cp "$target/x86_64-pc-windows-gnu/debug/statusrapport.exe" "$drive_c/statusrapport/"
cp "$unit_tests" "$drive_c/statusrapport/enhetstester.exe"
x86_64-w64-mingw32-gcc -O2 -shared -o "$drive_c/statusrapport/bcryptprimitives.dll" \
  tests/windows/bcryptprimitives.c -ladvapi32 || exit 1
x86_64-w64-mingw32-gcc -O2 -municode -o "$drive_c/statusrapport/hold.exe" tests/windows/hold.c || exit 1
hold='C:\statusrapport\hold.exe'

step "bibliotekets enhetstester under Wine"
out=$(timeout 300 wine 'C:\statusrapport\enhetstester.exe' 2>&1)
if grep -q '^test result: ok' <<<"$out"; then ok "enhetstester: $(grep '^test result' <<<"$out")"; else fail "enhetstester" "$out"; fi

step "exemplen: samma PDF-filer som Linux-bygget"
"$linux" build data -o "$work/linux/exempel" >/dev/null 2>&1
out=$(win build "$(winepath -w "$repo/data")" -o 'C:\Rapporter\exempel' 2>&1)
code=$?
linux_sums=$(pdf_sums "$work/linux/exempel")
windows_sums=$(pdf_sums "$drive_c/Rapporter/exempel")
count=$(wc -l <<<"$linux_sums")
if [ $code -eq 0 ] && [ "$count" -ge 8 ] && [ "$linux_sums" = "$windows_sums" ]; then
  ok "build av alla exempel (Z:\\…\\data till C:\\Rapporter\\exempel): $count PDF-filer byte för byte lika"
else
  fail "build av exemplen (slutkod $code)" "$out"$'\n'"$(diff <(echo "$linux_sums") <(echo "$windows_sums"))"
fi

step "check: samma meddelanden (med \\ i stället för / i sökvägar)"
for format in text json; do
  expected=$("$linux" check tests/corpus --format "$format" 2>&1)
  expected_code=$?
  actual=$(win check 'tests\corpus' --format "$format" 2>&1)
  actual_code=$?
  # A path is written with \ on Windows (\\ inside JSON strings); the
  # same change on both sides keeps other escapes alike.
  expected=$(sed 's/\\\\/\//g; s/\\/\//g' <<<"$expected")
  actual=$(sed 's/\\\\/\//g; s/\\/\//g' <<<"$actual")
  if [ "$expected" = "$actual" ] && [ $expected_code -eq $actual_code ] && [ $actual_code -eq 1 ]; then
    ok "check tests\\corpus --format $format: $(wc -l <<<"$actual") rader som på Linux, slutkod 1"
  else
    fail "check --format $format (slutkod $actual_code, Linux $expected_code)" "$(diff <(echo "$expected") <(echo "$actual"))"
  fi
done

step "sökvägar: enhetsbokstav, \\, mellanslag och å, ä, ö (en OneDrive-mapp)"
onedrive="$drive_c/Användare/Åsa Öberg/OneDrive - Region Halland"
project="$onedrive/Månadsrapporter 2023/Hälso- och sjukvård/Närsjukvården september"
mkdir -p "$(dirname "$project")"
cp -r data/statusrapport-2023-09 "$project"
mv "$project/siffror/ekonomi.csv" "$project/siffror/ekonomi för året.csv"
mv "$project/kommentarer/vch-ekonomi.md" "$project/kommentarer/vårdcentraler ekonomi.md"
sed -i 's|"siffror/ekonomi.csv"|"siffror/ekonomi för året.csv"|; s|"kommentarer/vch-ekonomi.md"|"kommentarer/vårdcentraler ekonomi.md"|' \
  "$project/rapport.toml"
"$linux" build "$onedrive/Månadsrapporter 2023" -o "$work/linux/onedrive" >/dev/null 2>&1
expected=$(pdf_sums "$work/linux/onedrive")
onedrive_win='C:\Användare\Åsa Öberg\OneDrive - Region Halland'
out=$(win build "$onedrive_win\\Månadsrapporter 2023" -o "$onedrive_win\\PDF" 2>&1)
pdf="$onedrive/PDF/Hälso- och sjukvård/Närsjukvården september.pdf"
if [ -f "$pdf" ] && [ "$(pdf_sums "$onedrive/PDF")" = "$expected" ] && grep -q 'Manifest: C:/Användare/Åsa Öberg' <<<"$out"; then
  ok "build med absolut sökväg: PDF\\Hälso- och sjukvård\\Närsjukvården september.pdf, lika med Linux"
else
  fail "build med absolut sökväg" "$out"
fi
out=$(cd "$onedrive" && win build 'Månadsrapporter 2023\Hälso- och sjukvård' -o 'PDF relativ' 2>&1)
if cmp -s "$pdf" "$onedrive/PDF relativ/Närsjukvården september.pdf"; then
  ok "build med relativ sökväg med \\ från en mapp med mellanslag"
else
  fail "build med relativ sökväg" "$out"
fi
out=$(win build 'C:/Användare/Åsa Öberg/OneDrive - Region Halland/Månadsrapporter 2023' -o 'C:/Användare/Åsa Öberg/PDF framåt' 2>&1)
if cmp -s "$pdf" "$drive_c/Användare/Åsa Öberg/PDF framåt/Hälso- och sjukvård/Närsjukvården september.pdf"; then
  ok "build med / i en Windows-sökväg"
else
  fail "build med / i en Windows-sökväg" "$out"
fi
# An error in the file with å in its name is shown at its line.
sed -i 's/^status = .*/status = "klar"/' "$project/kommentarer/vårdcentraler ekonomi.md"
expected=$(cd "$onedrive" && "$linux" check 'Månadsrapporter 2023' 2>&1)
actual=$(cd "$onedrive" && win check 'Månadsrapporter 2023' 2>&1)
code=$?
if [ $code -eq 1 ] && grep -q 'vårdcentraler ekonomi.md:[0-9]*:[0-9]*' <<<"$actual" &&
  [ "$expected" = "$(tr '\\' '/' <<<"$actual")" ]; then
  ok "check visar felet i kommentarer/vårdcentraler ekonomi.md med rad och kolumn, som på Linux"
else
  fail "check av en fil med å i namnet (slutkod $code)" "$(diff <(echo "$expected") <(echo "$actual"))"
fi

step "CRLF: rapport.toml, kommentarer och CSV med Windows radslut"
copy_crlf data "$drive_c/Rapporter/crlf"
out=$(win build 'C:\Rapporter\crlf' -o 'C:\Rapporter\crlf-ut' 2>&1)
code=$?
if [ $code -eq 0 ] && [ "$(pdf_sums "$drive_c/Rapporter/crlf-ut")" = "$linux_sums" ]; then
  ok "build av exemplen med CRLF: samma PDF-filer som med LF på Linux"
else
  fail "build med CRLF (slutkod $code)" "$out"
fi

step "låset: en andra körning väntar på den första"
cp -r data/skrivelse-delarsrapport-april-2023 "$drive_c/Rapporter/lås"
mkdir -p "$drive_c/Rapporter/lås-ut"
rm -f "$work/släpp-låset" "$work/hold.out"
timeout 300 wine "$hold" lock 'C:\Rapporter\lås-ut\.statusrapport.lock' "$(winepath -w "$work/släpp-låset")" >"$work/hold.out" 2>&1 &
holder=$!
if wait_for "$work/hold.out" held 60; then
  timeout 300 wine "$exe" build 'C:\Rapporter\lås' -o 'C:\Rapporter\lås-ut' >"$work/lås.out" 2>"$work/lås.err" &
  builder=$!
  if wait_for "$work/lås.err" "en annan körning mot" 60 && sleep 1 && kill -0 $builder 2>/dev/null &&
    [ ! -f "$drive_c/Rapporter/lås-ut/lås.pdf" ]; then
    touch "$work/släpp-låset"
    wait $builder
    code=$?
    if [ $code -eq 0 ] && [ -f "$drive_c/Rapporter/lås-ut/lås.pdf" ]; then
      ok "låst utmapp: \"$(head -1 "$work/lås.err")\", bygger när låset släpps"
    else
      fail "bygget efter att låset släppts (slutkod $code)" "$(cat "$work/lås.out" "$work/lås.err")"
    fi
  else
    touch "$work/släpp-låset"
    wait $builder
    fail "en låst utmapp ska ge väntan" "$(cat "$work/lås.out" "$work/lås.err")"
  fi
else
  fail "hold.exe tog inte låset" "$(cat "$work/hold.out")"
fi
touch "$work/släpp-låset"
wait $holder

step "en PDF som är öppen i en läsare ersätts inte"
cp -r data/skrivelse-delarsrapport-april-2023 "$drive_c/Rapporter/öppen"
win build 'C:\Rapporter\öppen' -o 'C:\Rapporter\öppen-ut' >/dev/null 2>&1
held_pdf="$drive_c/Rapporter/öppen-ut/öppen.pdf"
before=$(sha256sum <"$held_pdf")
rm -f "$work/stäng-pdf" "$work/hold.out"
timeout 300 wine "$hold" read 'C:\Rapporter\öppen-ut\öppen.pdf' \
  "$(winepath -w "$work/stäng-pdf")" >"$work/hold.out" 2>&1 &
holder=$!
if wait_for "$work/hold.out" held 60; then
  out=$(win build 'C:\Rapporter\öppen' -o 'C:\Rapporter\öppen-ut' --force 2>&1)
  code=$?
  leftovers=$(find "$drive_c/Rapporter/öppen-ut" -name '*.tmp')
  status=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["rapporter"][0]["status"])' \
    "$drive_c/Rapporter/öppen-ut/manifest.json")
  if [ $code -eq 1 ] && grep -q 'filen är öppen i ett annat program' <<<"$out" &&
    grep -q 'Den tidigare filen ligger kvar orörd' <<<"$out" && [ "$(sha256sum <"$held_pdf")" = "$before" ] &&
    [ -z "$leftovers" ] && [ "$status" = misslyckad ]; then
    ok "öppen PDF: slutkod 1, den gamla PDF-filen orörd, ingen tillfällig fil kvar, manifestet säger misslyckad"
    printf '        %s\n' "$(grep '^fel:' <<<"$out")"
  else
    fail "öppen PDF (slutkod $code, kvar: $leftovers, status $status)" "$out"
  fi
else
  fail "hold.exe öppnade inte PDF-filen" "$(cat "$work/hold.out")"
fi
touch "$work/stäng-pdf"
wait $holder
out=$(win build 'C:\Rapporter\öppen' -o 'C:\Rapporter\öppen-ut' --force 2>&1)
if [ $? -eq 0 ]; then ok "när PDF-filen stängts byggs den igen"; else fail "bygget efter att PDF-filen stängts" "$out"; fi

step "watch: bygger om när en fil sparas"
cp -r data/skrivelse-delarsrapport-april-2023 "$drive_c/Rapporter/Bevaka å"
# Started directly, not through win(): $! is then timeout's id, and timeout
# passes the kill on to Wine.
timeout 300 wine "$exe" watch 'C:\Rapporter\Bevaka å' -o 'C:\Rapporter\bevaka-ut' >"$work/watch.out" 2>&1 &
watcher=$!
if wait_for "$work/watch.out" "Bygge 1 klart" 60; then
  # The watcher thread may still be starting: give it a moment, and save
  # once more if the first save came too early.
  sleep 1
  printf '\r\n# sparad igen\r\n' >>"$drive_c/Rapporter/Bevaka å/rapport.toml"
  wait_for "$work/watch.out" "Bygge 2" 10 || printf '# och igen\r\n' >>"$drive_c/Rapporter/Bevaka å/rapport.toml"
  if wait_for "$work/watch.out" "Bygge 2 klart" 30; then
    ok "watch: ändrad rapport.toml ger \"$(grep 'Bygge 2' "$work/watch.out")\""
  else
    fail "watch märkte inte att rapport.toml ändrades" "$(cat "$work/watch.out")"
  fi
else
  fail "watch byggde inte" "$(cat "$work/watch.out")"
fi
kill $watcher 2>/dev/null
wait $watcher 2>/dev/null
echo "        (Wine 8 rapporterar inte ändringar i undermappar, till exempel kommentarer\\; Windows gör det)"

step "konsolen (tmux ger Wine en terminal)"
socket=statusrapport-wine-$$
# -u: tmux too writes UTF-8, whatever it guesses from the locale.
tmux_() { TERM=${TERM:-xterm} tmux -u -L "$socket" "$@"; }
pane() { tmux_ capture-pane -p -t test 2>/dev/null; }
wait_for_pane() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    pane | grep -q -- "$1" && return 0
    sleep 0.1
  done
  return 1
}
# Alone in its console, as after a double-click in Explorer.
tmux_ new-session -d -s test -x 100 -y 50 \
  "env WINEPREFIX='$WINEPREFIX' WINEDEBUG=-all wine '$exe'; echo SLUTKOD=\$?; sleep 60"
if wait_for_pane "Tryck på valfri tangent" 60 && pane | grep -q "Det här är ett kommandoradsprogram" &&
  ! pane | grep -q SLUTKOD; then
  tmux_ send-keys -t test x
  if wait_for_pane "SLUTKOD=0" 20; then
    ok "dubbelklick utan argument: förklaring på svenska, väntar på en tangent, slutkod 0"
  else
    fail "dubbelklick: avslutades inte efter en tangent" "$(pane)"
  fi
else
  fail "dubbelklick: ingen förklaring" "$(pane)"
fi
tmux_ kill-server 2>/dev/null
socket=$socket-cmd
# From cmd.exe: the shell shares the console, so no explanation and no wait.
tmux_ new-session -d -s test -x 200 -y 50 "env WINEPREFIX='$WINEPREFIX' WINEDEBUG=-all wine cmd; sleep 60"
wait_for_pane '>' 30
tmux_ send-keys -t test "$exe" Enter
tmux_ send-keys -t test 'echo SLUTKOD=%ERRORLEVEL%' Enter
if wait_for_pane "SLUTKOD=2" 30 && pane | grep -q "Usage: statusrapport" && ! pane | grep -q "Tryck på valfri"; then
  ok "från cmd.exe utan argument: kortfattad hjälp, ingen väntan, slutkod 2"
else
  fail "från cmd.exe utan argument" "$(pane)"
fi
tmux_ send-keys -t test "$exe build C:\\Rapporter\\crlf -o C:\\Rapporter\\konsol-ut" Enter
tmux_ send-keys -t test 'echo SLUTKOD=%ERRORLEVEL%' Enter
if wait_for_pane "SLUTKOD=0" 120 && pane | grep -q "9 byggda, 0 oförändrade, 0 misslyckade" &&
  pane | grep -q "byggd       C:/Rapporter/crlf/handlingsplan-2017-11 → "; then
  ok "build i konsolen (förloppsindikator): svensk text med å, ä, ö och →"
else
  fail "build i konsolen" "$(pane)"
fi
tmux_ kill-server 2>/dev/null

step "Schemaläggaren: nattbygge.xml"
out=$(timeout 120 wine schtasks /Create /TN "statusrapport nattbygge" /XML "$(winepath -w "$repo/docs/windows/nattbygge.xml")" 2>&1)
if [ $? -eq 0 ]; then ok "schtasks /Create /XML nattbygge.xml godtas"; else fail "schtasks /Create" "$out"; fi
timeout 120 wine schtasks /Delete /TN "statusrapport nattbygge" /F >/dev/null 2>&1
# Wine cannot run a scheduled task; cmd.exe runs the task's command as
# Task Scheduler would: the XML's Arguments, in its WorkingDirectory.
arguments=$(python3 -c 'import sys, xml.etree.ElementTree as ET
ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
print(ET.parse(sys.argv[1]).find("t:Actions/t:Exec/t:Arguments", ns).text)' docs/windows/nattbygge.xml)
cp -r data "$drive_c/Rapporter/projekt"
printf '@cd /d C:\\Rapporter\r\n@cmd.exe %s\r\n@echo SLUTKOD=%%ERRORLEVEL%%\r\n' "$arguments" >"$drive_c/Rapporter/aktivitet.bat"
log="$drive_c/Rapporter/logg/statusrapport.log"
out=$(timeout 300 wine cmd /c 'C:\Rapporter\aktivitet.bat' 2>&1)
if grep -q "SLUTKOD=0" <<<"$out" && grep -q '^=====' "$log" && grep -q "9 byggda, 0 oförändrade, 0 misslyckade" "$log" &&
  [ -f "$drive_c/Rapporter/ut/manifest.json" ]; then
  ok "aktivitetens kommando: ut\\manifest.json, loggen i logg\\statusrapport.log, resultat 0"
else
  fail "aktivitetens kommando" "$out"$'\n'"$(cat "$log" 2>/dev/null)"
fi
cp -r tests/corpus/kommentar-okand-platshallare "$drive_c/Rapporter/projekt/trasig"
out=$(timeout 300 wine cmd /c 'C:\Rapporter\aktivitet.bat' 2>&1)
if grep -q "SLUTKOD=1" <<<"$out" && [ "$(grep -c '^=====' "$log")" -eq 2 ] && grep -q "^misslyckad  projekt/trasig" "$log" &&
  grep -q "9 oförändrade, 1 misslyckad\\b" "$log"; then
  ok "andra natten, en trasig rapport: resultat 1, loggen växer, felet står i den"
else
  fail "andra natten" "$out"$'\n'"$(cat "$log")"
fi

wineserver -w
printf '\n%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
