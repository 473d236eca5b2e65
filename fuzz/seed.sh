#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ with a sample of libvirt's test documents (tests/corpus/):
# every Nth file of tests/corpus.tsv (N=5 unless given), and every single-device document
# (<disk>, <watchdog>, … — few in number, and what DeviceRoot reads).
#
#   fuzz/seed.sh [N]
#
# Files are copied flat (path separators become `__`); running it again adds nothing new.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
every="${1:-5}"
targets=(parse roundtrip write_built)
device_roots='^(vsock|iommu|panic|nvram|memballoon|watchdog|memory|shmem|tpm|rng|redirfilter|redirdev|hub|smartcard|channel|serial|parallel|console|video|graphics|hostdev|audio|sound|input|interface|filesystem|lease|controller|disk)$'

for t in "${targets[@]}"; do
    mkdir -p "$here/corpus/$t"
done

n=0
# Columns: path (relative to tests/corpus/), schema, status, root.
while IFS=$'\t' read -r path _schema _status rootname; do
    n=$((n + 1))
    if (( (n - 1) % every != 0 )) && ! [[ "$rootname" =~ $device_roots ]]; then
        continue
    fi
    src="$root/tests/corpus/$path"
    [[ -f "$src" ]] || continue
    name="${path//\//__}"
    for t in "${targets[@]}"; do
        cp "$src" "$here/corpus/$t/$name"
    done
done < <(tail -n +2 "$root/tests/corpus.tsv")

for t in "${targets[@]}"; do
    printf '%s: %d seed files\n' "$t" "$(find "$here/corpus/$t" -type f | wc -l)"
done
