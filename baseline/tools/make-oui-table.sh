#!/bin/sh
# Regenerates baseline/src/main/resources/io/vigil/baseline/oui.tsv.gz from the IEEE registry as Debian
# ships it (package ieee-data: /usr/share/ieee-data/oui.csv, MA-L assignments, public data).
# Output: one "OUI<TAB>organization" line per 24-bit prefix, sorted by prefix, gzipped (-n: reproducible).
set -eu
src=${1:-/usr/share/ieee-data/oui.csv}
out=$(dirname "$0")/../src/main/resources/io/vigil/baseline/oui.tsv.gz
python3 - "$src" <<'PY' | LC_ALL=C sort -u | gzip -9n > "$out"
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    for row in csv.DictReader(f):
        oui = row['Assignment'].strip().upper()
        name = ' '.join(row['Organization Name'].split()).rstrip(' ,;')
        if len(oui) == 6 and name:
            print(oui + '\t' + name)
PY
echo "wrote $out ($(gzip -dc "$out" | wc -l) prefixes)"
