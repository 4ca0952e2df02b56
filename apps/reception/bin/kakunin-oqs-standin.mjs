#!/usr/bin/env node
// Stand-in 連携アプリ of the 資格確認端末's file interface (src/qualification/oqs-standin.ts).
import { standInMain } from '../dist/oqs-standin.js';

const code = await standInMain(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
