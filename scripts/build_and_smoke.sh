#!/usr/bin/env bash
# Build the one-folder bundle with PyInstaller and check that it runs:
#   - antq-cli init --json (an encrypted database: SQLCipher in the bundle) and a PDF report
#     (fonts found inside the bundle),
#   - the window started offscreen, every tab shown, closed after a moment (ANTQ_QUIT_AFTER_MS),
#   - the user guide and icons are in the bundle, and the bundle is at most 180 MB (169 MB on 2026-12-01: python-docx's
#     lxml adds 10 MB to the 158 MB of before).
# Usage: scripts/build_and_smoke.sh [OUTPUT_FOLDER]   (default: a temporary folder)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-$here/.venv/bin/python}"
out="${1:-$(mktemp -d)}"
limit_mb="${ANTQ_BUNDLE_LIMIT_MB:-180}"
cd "$here"
export ANTQ_DATA_DIR="$out/data"     # logs and backups of the smoke runs stay in $out
"$py" -m PyInstaller --noconfirm --log-level WARN --distpath "$out/dist" \
    --workpath "$out/build" build.spec
bundle="$out/dist/ANTQ"
db="$out/smoke.sqlite3"
rm -f "$db"

echo "== antq-cli init"
"$bundle/antq-cli" --db "$db" init --level xa --code SMOKE --name "Công an xã Thử" --json \
    | tee "$out/init.json"
grep -q '"code": "SMOKE"' "$out/init.json"

echo "== the database is encrypted (SQLCipher inside the bundle)"
if head -c 16 "$db" | grep -q "SQLite format 3"; then
    echo "the database is a plain SQLite file" >&2; exit 1
fi
test -s "$db.keys" || { echo "missing: the key slots $db.keys" >&2; exit 1; }

echo "== report PDF (fonts from the bundle)"
"$bundle/antq-cli" --db "$db" settings set doc.place "Tân Phú" >/dev/null
"$bundle/antq-cli" --db "$db" settings set doc.signer_name "Bùi Văn Thắng" >/dev/null
"$bundle/antq-cli" --db "$db" report --period 2026 --format pdf --out "$out/report.pdf"
head -c 5 "$out/report.pdf" | grep -q '%PDF-'

echo "== window offscreen"
# ANTQ_QUIT_AFTER_MS: the window shows every tab (each page's modules load by name when
# first shown), then quits. A window that cannot quit by itself (an error dialog waiting
# for a click) fails here, and so does any error it logged.
QT_QPA_PLATFORM=offscreen ANTQ_QUIT_AFTER_MS=1500 timeout 120 "$bundle/ANTQ" --db "$db"
if grep -q "Traceback" "$ANTQ_DATA_DIR/logs/antq.log" 2>/dev/null; then
    echo "the window logged an error:" >&2; tail -20 "$ANTQ_DATA_DIR/logs/antq.log" >&2; exit 1
fi

echo "== resources"
internal="$bundle/_internal/resources"
test -s "$bundle/_internal/docs/huong-dan-su-dung.md" || { echo "missing in bundle: docs/huong-dan-su-dung.md" >&2; exit 1; }
for f in fonts/LiberationSerif-Regular.ttf icons/antq.png docs/img; do
    test -s "$internal/$f" || { echo "missing in bundle: resources/$f" >&2; exit 1; }
done

echo "== no GTK 3 (Qt's GTK 3 theme plugin is excluded in build.spec)"
gtk=$(find "$bundle" \( -name 'libqgtk3*' -o -name 'libgtk-3*' -o -name 'libgdk-3*' \) -print)
if [ -n "$gtk" ]; then
    echo "GTK 3 in the bundle:" >&2; echo "$gtk" >&2; exit 1
fi

size_mb=$(du -sm "$bundle" | cut -f1)
echo "== bundle size: ${size_mb} MB (limit ${limit_mb} MB)"
if [ "$size_mb" -gt "$limit_mb" ]; then
    du -sm "$bundle"/_internal/* | sort -rn | head -15 >&2
    exit 1
fi
echo "bundle OK: $bundle"
