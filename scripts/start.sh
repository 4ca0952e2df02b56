#!/usr/bin/env bash
# Sets everything up and runs the main job on the built-in virtual card.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node scripts/main-job.mjs "$@"
