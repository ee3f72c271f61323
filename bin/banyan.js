#!/usr/bin/env node
// `npx banyan ...`: runs src/cli.ts with Node's own type stripping (Node 24+, no build step, no
// loader); on an older Node, re-runs itself on the Node 24 that scripts/setup.sh installed.
import { onSupportedNode, rerunOnSupportedNode } from './node-runtime.js';

if (onSupportedNode()) {
  const { main } = await import('../src/cli.ts');
  process.exitCode = await main(process.argv.slice(2));
} else rerunOnSupportedNode('banyan');
