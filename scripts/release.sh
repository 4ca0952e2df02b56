#!/usr/bin/env bash
# Release: build, lint, typecheck, the install smoke test (packs every publishable package and uses
# the tarballs from a scratch consumer under Node 20/22/24), then publish with changesets.
#
#   bash scripts/release.sh            # dry run (default): everything except the upload; shows what would be published
#   bash scripts/release.sh --publish  # the real thing (npm credentials needed); tags are created by changesets
#
# Versions and CHANGELOGs come from `pnpm changeset version` beforehand (commit its result first).
set -euo pipefail
cd "$(dirname "$0")/.."

publish=false
[[ "${1:-}" == "--publish" ]] && publish=true

log() { printf '\033[1m[release]\033[0m %s\n' "$*" >&2; }

if [[ -n "$(ls .changeset/*.md 2>/dev/null | grep -v README.md || true)" ]]; then
  log "unversioned changesets in .changeset/: run 'pnpm changeset version' and commit first"
  $publish && exit 1
fi

log "building"
pnpm -s turbo run build --output-logs=errors-only
log "lint + typecheck"
pnpm -s lint
pnpm -s turbo run typecheck --output-logs=errors-only
log "install smoke test (tools/smoke)"
pnpm -s vitest run --project smoke

if $publish; then
  log "publishing"
  pnpm changeset publish
else
  log "dry run: what each publishable package would upload"
  pnpm -r --filter './packages/*' --filter './apps/*' --filter './tools/*' publish --dry-run --no-git-checks --access public 2>&1 |
    grep -E '^npm notice (name|version|filename|package size|unpacked size|total files)' || true
  log "dry run done; nothing was published (use --publish)"
fi
