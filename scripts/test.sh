#!/usr/bin/env bash
# The whole test suite: setup (idempotent), lint + dependency direction, typecheck, every test
# (unit, property, real pcscd + vpcd, BLE over injected noble bindings, bridge over real
# WebSockets, headless Chromium e2e, and the install smoke test in tools/smoke: every publishable
# package packed and used from a scratch consumer under Node 20/22/24, TypeScript 5.7, esbuild).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm -s lint
pnpm -s turbo run typecheck --output-logs=errors-only
mkdir -p test-output
pnpm -s vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json
# The plain closing line CI reads: "N passed, N failed".
node -e 'const r = JSON.parse(require("fs").readFileSync("test-output/vitest.json", "utf8")); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)'
