#!/usr/bin/env bash
# Lints a live scrape of nsscope's /actuator/prometheus with promtool (Debian package "prometheus").
# Usage: scripts/check-metrics.sh [BASE_URL]   (default http://localhost:8080; start the service first)
# nsscope's own families (nsscope_*) must pass `promtool check metrics` cleanly: the script fails otherwise.
# What promtool says of the JVM, HTTP and Tomcat metrics that Micrometer and Spring Boot name is printed for
# information only: those names are theirs.
set -euo pipefail
base=${1:-http://localhost:8080}
if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool is not installed (apt-get install prometheus); nothing checked" >&2
  exit 2
fi
scrape=$(mktemp)
ours=$(mktemp)
trap 'rm -f "$scrape" "$ours"' EXIT
curl -fsS "$base/actuator/prometheus" -o "$scrape"
grep -E '^(# (HELP|TYPE) )?nsscope_' "$scrape" > "$ours"
echo "scraped $(grep -vc '^#' "$scrape") samples from $base, $(grep -vc '^#' "$ours") of them nsscope's"
echo "--- promtool check metrics, nsscope_* families:"
promtool check metrics < "$ours"
echo "OK"
echo "--- promtool check metrics, the whole scrape (for information):"
promtool check metrics < "$scrape" || true
