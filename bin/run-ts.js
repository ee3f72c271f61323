#!/usr/bin/env node
// `node bin/run-ts.js FILE.ts [args]`: what the npm scripts run, so `npm test`, `npm start` and
// `npm run bench` work on an older Node too once scripts/setup.sh has installed Node 24.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { onSupportedNode, rerunOnSupportedNode } from './node-runtime.js';

if (onSupportedNode()) {
  const [entry, ...args] = process.argv.slice(2);
  process.argv = [process.argv[0], resolve(entry), ...args];
  await import(pathToFileURL(resolve(entry)).href);
} else rerunOnSupportedNode('banyan');
