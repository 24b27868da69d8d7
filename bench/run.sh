#!/usr/bin/env bash
# Benchmark: amiris against Hugo on synthetic catalogues of the same projects.
#
# Usage: bench/run.sh                 (from anywhere; catalogues of 1,000 and 10,000 projects)
#   SIZES="1000 10000"   catalogue sizes
#   RUNS=3               runs per tool and size (the median is reported)
#   BENCH_DIR=/tmp/amiris-bench   where catalogues and outputs go (wiped and regenerated)
#   REBUILD=1            also time a second build over the previous output (0: fresh builds only)
#   CARDS=1              also time amiris's fresh build with its social cards (0: pages only)
#
# Rows of the table: `amiris` (fresh, cards drawn; only with CARDS=1), `amiris-sans-cartes`
# (fresh, `--sans-cartes`), `amiris-noop` (the same again over its output, nothing changed),
# `amiris-titre` (one project's title edited, then built over that output), `hugo` (fresh)
# and `hugo-rebuild` (again over its output).
#
# Installs nothing: it needs `hugo` (Debian package `hugo`) and GNU time at /usr/bin/time
# (Debian package `time`). Each run starts from an empty output folder; both tools run in
# the same loop, alternating, so that they share the machine's state (caches, load).
set -euo pipefail

SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/amiris-bench}
REBUILD=${REBUILD:-1}
CARDS=${CARDS:-1}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

fail() { echo "bench: $*" >&2; exit 2; }

command -v hugo >/dev/null || fail "hugo est introuvable (Debian : apt-get install -y hugo)"
[ -x /usr/bin/time ] || fail "/usr/bin/time est introuvable (Debian : apt-get install -y time)"
command -v cargo >/dev/null || fail "cargo est introuvable"

echo "== compilation (release)" >&2
(cd "$REPO" && cargo build --release --quiet --bin amiris --example synthetic) \
    || fail "la compilation d'amiris a échoué"

# Snapshot the binaries: other people may rebuild target/release while the benchmark runs,
# which would silently change the program measured between two runs.
mkdir -p "$BENCH_DIR/bin"
cp "$REPO/target/release/amiris" "$REPO/target/release/examples/synthetic" "$BENCH_DIR/bin/"
AMIRIS="$BENCH_DIR/bin/amiris"
SYNTHETIC="$BENCH_DIR/bin/synthetic"
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "amiris: $("$AMIRIS" --version) sha256 $(sha256sum "$AMIRIS" | cut -c1-16)"
    echo "hugo: $(hugo version)"
    echo "rustc: $(rustc --version)"
    echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "memory: $(free -m | awk '/^Mem:/ {print $2}') MiB"
} | tee "$BENCH_DIR/machine.txt" >&2
RESULTS="$BENCH_DIR/results.tsv"
printf 'tool\tprojects\trun\tseconds\tmax_rss_kb\thtml_pages\tfiles\tload1\n' > "$RESULTS"

# Runs "$@" under GNU time; prints "seconds max_rss_kb". Output of the command goes to a log.
measure() {
    local log=$1; shift
    local timing
    timing=$(mktemp)
    if ! /usr/bin/time -f "%e %M" -o "$timing" "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$timing"
        fail "échec de : $*"
    fi
    tail -n 1 "$timing"
    rm -f "$timing"
}

count() { # folder, name pattern; Hugo's `page/1/` redirect stubs (written even with
            # disableAliases in 0.111) are not counted as pages
    find "$1" -type f -name "$2" -not -path '*/page/1/*' | wc -l | tr -d ' '
}

# record TOOL PROJECTS RUN OUTPUT_DIR COMMAND...: one measured run, appended to the results.
record() {
    local tool=$1 n=$2 run=$3 out=$4; shift 4
    local timing secs kb load
    load=$(cut -d ' ' -f 1 /proc/loadavg)
    timing=$(measure "$BENCH_DIR/catalogue-$n/$tool-$run.log" "$@")
    read -r secs kb <<<"$timing"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$run" "$secs" "$kb" \
        "$(count "$out" '*.html')" "$(count "$out" '*')" "$load" >> "$RESULTS"
    printf '   %-15s run %s : %6s s, %7s Ko (charge avant : %s)\n' "$tool" "$run" "$secs" "$kb" "$load" >&2
}

for n in $SIZES; do
    dir="$BENCH_DIR/catalogue-$n"
    echo "== catalogue de $n projets : $dir" >&2
    "$SYNTHETIC" --projects "$n" --out "$dir" --hugo
    # Every generated project must pass `amiris check` with zero errors (exit 0).
    if ! "$AMIRIS" check --root "$dir" --format json >"$dir/check.json"; then
        fail "amiris check signale des erreurs dans $dir (voir $dir/check.json)"
    fi
    warnings=$( (grep -o '"severity": *"warning"' "$dir/check.json" || true) | wc -l | tr -d ' ')
    echo "   amiris check : 0 erreur, $warnings avertissement(s)" >&2

    # The project whose title the `amiris-titre` runs edit (the first file, by name).
    edited=$(find "$dir/content/projets" -name '*.md' | sort | sed -n 1p)
    for run in $(seq 1 "$RUNS"); do
        if [ "$CARDS" = 1 ]; then
            # Fresh build: empty output folder (amiris draws every social card).
            rm -rf "$dir/output"
            record amiris "$n" "$run" "$dir/output" \
                "$AMIRIS" build --root "$dir" --output "$dir/output" --quiet
        fi
        # Fresh build of the pages only (the target of the speed issue), then the same again
        # over its output (nothing changed: nothing may be written).
        rm -rf "$dir/output"
        record amiris-sans-cartes "$n" "$run" "$dir/output" \
            "$AMIRIS" build --root "$dir" --output "$dir/output" --quiet --sans-cartes
        rm -rf "$dir/hugo/public" "$dir/hugo/resources" "$dir/hugo/.hugo_build.lock"
        record hugo "$n" "$run" "$dir/hugo/public" hugo --source "$dir/hugo" --quiet
        if [ "$REBUILD" = 1 ]; then
            record amiris-noop "$n" "$run" "$dir/output" \
                "$AMIRIS" build --root "$dir" --output "$dir/output" --quiet --sans-cartes
            grep -q "fichiers : 0 ajouté, 0 modifié, [0-9]* inchangés*, 0 supprimé" \
                "$dir/amiris-noop-$run.log" || fail "la reconstruction sans changement a écrit des fichiers ($dir/amiris-noop-$run.log)"
            record hugo-rebuild "$n" "$run" "$dir/hugo/public" hugo --source "$dir/hugo" --quiet
            # One title edited (what a communications officer does most), built over the
            # previous output; the title is put back afterwards.
            cp "$edited" "$BENCH_DIR/edited.md"
            sed -i '0,/^titre: "/s//titre: "Titre modifié : /' "$edited"
            record amiris-titre "$n" "$run" "$dir/output" \
                "$AMIRIS" build --root "$dir" --output "$dir/output" --quiet --sans-cartes
            mv "$BENCH_DIR/edited.md" "$edited"
        fi
    done
done

# The table: median wall time and median peak RSS of the runs, per tool and size.
echo
echo "| outil | projets | temps (s, médiane de $RUNS) | mémoire max (Mo, médiane) | pages HTML | fichiers |"
echo "|---|---:|---:|---:|---:|---:|"
for n in $SIZES; do
    for tool in amiris amiris-sans-cartes hugo amiris-noop hugo-rebuild amiris-titre; do
        awk -F'\t' -v tool="$tool" -v n="$n" '
            function median(a, k,    i, j, t) {
                for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
                    if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
                return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
            }
            NR > 1 && $1 == tool && $2 == n { k++; s[k] = $4; m[k] = $5; pages = $6; files = $7 }
            END {
                if (k == 0) exit
                printf "| %s | %d | %.2f | %.0f | %d | %d |\n", tool, n, median(s, k), median(m, k) / 1024, pages, files
            }' "$RESULTS"
    done
done
echo
echo "Mesures brutes : $RESULTS" >&2
