#!/usr/bin/env node
// The published entry runs the compiled CLI; `npm ci` builds it (the `prepare` script).
import { main } from '../dist/cli/main.js';

await main(process.argv);
