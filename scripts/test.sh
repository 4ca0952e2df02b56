#!/usr/bin/env bash
# The whole test suite: setup (idempotent), lint + dependency direction, typecheck, every test
# (unit, property, real pcscd + vpcd, BLE over injected noble bindings, bridge over real
# WebSockets, headless Chromium e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm -s lint
pnpm -s turbo run typecheck --output-logs=errors-only
pnpm -s vitest run
