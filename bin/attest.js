#!/usr/bin/env node
// The installed entry runs the compiled CLI; `npm ci` builds it (the `prepare` script).
await import('../dist/cli/run.js');
