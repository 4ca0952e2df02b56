#!/usr/bin/env node
// `pnpm fuzz:nightly`: ≥ 1,000,000 inputs per parser (see tools/reliability/README.md).
await import('../dist/fuzz-nightly.js');
