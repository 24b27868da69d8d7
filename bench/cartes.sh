#!/usr/bin/env bash
# Processor time per social card: (fresh build) − (fresh build --sans-cartes), ÷ projects.
#
# Usage: bench/cartes.sh SITE RUNS BINARY [BINARY…]
#   SITE     a site folder (`content/` inside), e.g. the synthetic catalogue of 1,000 projects
#            (`target/release/examples/synthetic --projects 1000 --out /dev/shm/syn1000`)
#   RUNS     runs per binary; the median is reported
#   BINARY   amiris binaries to compare (copies: target/release may be rebuilt meanwhile)
#   OUT=/dev/shm/amiris-cartes   output folder, deleted before each build (keep it on tmpfs:
#            on ext4 the kernel's inode allocation grows from run to run over deleted trees)
#
# This is the measure of issue 10's target (at most 4 ms per card drawn): user + sys time
# by GNU time, output folder emptied before each build, the binaries alternated within each
# run so that they share the machine's state. Each line gives the load just before the run;
# a binary without `--sans-cartes` (before 15ec7cc) is reported with its whole build.
set -euo pipefail

[ $# -ge 3 ] || { sed -n 2,16p "$0" >&2; exit 2; }
SITE=$1 RUNS=$2
shift 2
OUT=${OUT:-/dev/shm/amiris-cartes}
[ -x /usr/bin/time ] || { echo "/usr/bin/time est introuvable (apt-get install -y time)" >&2; exit 2; }
PROJECTS=$(find "$SITE/content/projets" -name '*.md' | wc -l)
[ "$PROJECTS" -gt 0 ] || { echo "aucun projet dans $SITE/content/projets" >&2; exit 2; }

# Processor seconds (user + sys) of one fresh build with the given binary and options.
cpu() {
    local binary=$1; shift
    rm -rf "$OUT"
    local timing
    timing=$(mktemp)
    /usr/bin/time -f "%U %S" -o "$timing" \
        "$binary" build --root "$SITE" --output "$OUT" --quiet "$@" >/dev/null 2>&1 \
        || { echo "échec de $binary build $* sur $SITE" >&2; exit 1; }
    awk '{printf "%.2f", $1 + $2}' "$timing"
    rm -f "$timing"
}

# Which binaries know `--sans-cartes`, asked once each (a help text read whole: `grep -q`
# on a pipe could end the binary by SIGPIPE, which `pipefail` would count as "no").
declare -A PAGES_ONLY
for binary in "$@"; do
    help=$("$binary" build --help 2>/dev/null || true)
    PAGES_ONLY[$binary]=$(grep -c -- --sans-cartes <<<"$help" || true)
done

RESULTS=$(mktemp)
for run in $(seq "$RUNS"); do
    for binary in "$@"; do
        load=$(cut -d' ' -f1 /proc/loadavg)
        with=$(cpu "$binary")
        if [ "${PAGES_ONLY[$binary]}" -gt 0 ]; then
            without=$(cpu "$binary" --sans-cartes)
        else
            without=0
        fi
        per_card=$(awk -v a="$with" -v b="$without" -v n="$PROJECTS" \
            'BEGIN {printf "%.3f", (a - b) * 1000 / n}')
        printf '%s\t%s\t%s s\t%s s\t%s ms/carte\tcharge %s\n' \
            "$run" "$binary" "$with" "$without" "$per_card" "$load"
        printf '%s\t%s\n' "$binary" "$per_card" >>"$RESULTS"
    done
done
rm -rf "$OUT"
echo "médianes ($PROJECTS projets, $RUNS exécutions) :"
for binary in "$@"; do
    awk -v b="$binary" -F'\t' '$1 == b {print $2}' "$RESULTS" | sort -n \
        | awk -v b="$binary" '{v[NR] = $1} END {printf "  %s : %s ms par carte\n", b, v[int((NR + 1) / 2)]}'
done
rm -f "$RESULTS"
