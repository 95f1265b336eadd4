#!/usr/bin/env bash
# Fill Solara's CDN proxy cache from the npm registry, so the dashboard works offline.
# Solara's page asks its own server for /_solara/cdn/<pkg>@<version>/<file>; the server
# serves <cache>/<pkg>@<version>/<file> when present (see docs/dashboard-offline-notes.md).
# Usage: fill-solara-cdn.sh CACHE_DIR PKG@VERSION...   (idempotent; needs npm)
set -euo pipefail
cache="$1"; shift
command -v npm >/dev/null 2>&1 || {
  echo "error: npm is needed once to fetch the dashboard's web assets (apt-get install -y npm)" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"
for spec in "$@"; do
  dest="$cache/$spec"
  if [ -d "$dest" ] && [ -n "$(ls -A "$dest")" ]; then echo "have $spec"; continue; fi
  tgz="$(cd "$work" && npm pack --silent "$spec" | tail -n1)"
  mkdir -p "$work/x" && tar -xzf "$work/$tgz" -C "$work/x"
  mkdir -p "$dest.partial" && cp -a "$work/x/package/." "$dest.partial/"
  rm -rf "$dest" && mv "$dest.partial" "$dest"
  rm -rf "$work/x" "$work/$tgz"
  echo "filled $spec"
done
