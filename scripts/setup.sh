#!/usr/bin/env bash
# One-time (idempotent) setup on a fresh Debian machine with Node 20: system packages, pnpm,
# dependencies (native builds allow-listed in pnpm-workspace.yaml), and a build of every package.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=10.34.9
APT_PACKAGES=(pcscd vsmartcard-vpcd opensc libpcsclite-dev pcsc-tools chromium openssl fonts-ipafont-gothic fonts-ipamj-mincho poppler-utils postgresql)

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    SUDO=sudo
  else
    SUDO=
  fi
  log "installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]]; then
  log "installing pnpm $PNPM_VERSION"
  npm install -g --silent "pnpm@$PNPM_VERSION" >/dev/null
fi

log "installing dependencies"
# No prebuilt binaries can be downloaded here: native addons (allow-listed in pnpm-workspace.yaml) build from source.
export npm_config_build_from_source=true
CI=${CI:-} pnpm install --frozen-lockfile --reporter=append-only 2>&1 | tail -n 5 >&2 || {
  log "frozen install failed; retrying without --frozen-lockfile is NOT done automatically"; exit 1; }

log "building"
pnpm -s turbo run build --output-logs=errors-only >&2
log "ready"
