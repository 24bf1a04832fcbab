#!/usr/bin/env bash
# Writes Tests/Fixtures/data/text/scripts/: real text in Russian, Greek, Japanese, Korean and
# Traditional Chinese for the contam-text/3 tests (scripts/gen-fold-tables.py has the folds).
# Source: the translations of GLib's messages shipped in Debian 12's libglib2.0-data
# (/usr/share/locale/<lang>/LC_MESSAGES/glib20.mo, LGPL-2.1-or-later), one message per line.
# zh_TW.t2s.txt is zh_TW.txt converted to Simplified Chinese by OpenCC's own converter
# (Debian package opencc, `opencc -c t2s.json`: phrase tables first, then characters), so the
# tests compare against a real conversion, not against the character table contam folds with.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$here/Tests/Fixtures/data/text/scripts
mkdir -p "$out"
command -v opencc >/dev/null || apt-get install -y opencc >/dev/null
for lang in ru el ja ko zh_TW; do
  python3 - "/usr/share/locale/$lang/LC_MESSAGES/glib20.mo" "$out/$lang.txt" <<'PY'
import gettext, sys
with open(sys.argv[1], "rb") as f:
    catalog = gettext.GNUTranslations(f)._catalog
lines = sorted({" ".join(str(v).split()) for k, v in catalog.items() if k and isinstance(v, str)})
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.writelines(line + "\n" for line in lines if len(line) >= 8)
PY
done
opencc -c t2s.json -i "$out/zh_TW.txt" -o "$out/zh_TW.t2s.txt"
wc -lc "$out"/*.txt
