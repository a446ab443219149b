# Sourced by scripts/lib/benchmark-run.sh and scripts/scan-cost.sh.
# shellcheck shell=bash
# our_ticks: the CPU of the sourcing script's shell and of its reaped children (lsns, curl, python...), in clock
# ticks, from the output of bash's `times` that the caller wrote to WORK/times.txt in that very shell (in a subshell,
# as in $(...), `times` would start from zero and not count this shell's children).
our_ticks() {
    awk -v tck="$(getconf CLK_TCK)" '
        function sec(t,  m) { m = t; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", t); sub(/s$/, "", t); return m * 60 + t }
        {total += sec($1) + sec($2)} END {printf "%d", total * tck}' "$WORK/times.txt"
}
