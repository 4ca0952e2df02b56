#!/usr/bin/env node
// `pnpm soak`: 10,000 consecutive PIN-mode checks through pcscd + vpcd (see tools/reliability/README.md).
await import('../dist/soak.js');
