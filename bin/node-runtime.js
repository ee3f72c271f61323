// Banyan runs on Node 24 LTS or later: Node's own type stripping runs src/**/*.ts with no loader.
// This file is plain JavaScript that still parses on old Node versions, so that on an older Node it
// can re-run the same command on the Node 24 that scripts/setup.sh installed into the per-user
// cache (scripts/node-runtime.sh), or say in one line what to do.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIRED_MAJOR = 24;
const root = fileURLToPath(new URL('..', import.meta.url));
const pinned = readFileSync(join(root, '.node-version'), 'utf8').trim();

/** True when this process's Node can run Banyan's TypeScript directly. */
export function onSupportedNode() {
  return Number(process.versions.node.split('.')[0]) >= REQUIRED_MAJOR;
}

/** Where scripts/node-runtime.sh installs the pinned Node for this machine. */
function cachedNode() {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const pkg = `node-${process.platform}-${process.arch}`;
  return join(cache, 'banyan', 'node', pinned, 'node_modules', pkg, 'bin', 'node');
}

/**
 * Runs this process's own command line again on the cached Node and exits as it exits. Signals
 * sent to this process are passed on, so a supervisor stopping it stops the gateway cleanly.
 */
export function rerunOnSupportedNode(name) {
  const node = cachedNode();
  if (process.env.BANYAN_NODE_RERUN || !existsSync(node)) {
    process.stderr.write(
      `${name}: needs Node.js ${REQUIRED_MAJOR} or later (this is ${process.version}); ` +
        `run ./scripts/setup.sh to install Node ${pinned} for Banyan, or put Node ${REQUIRED_MAJOR}+ first on PATH\n`,
    );
    process.exit(1);
  }
  const env = { ...process.env, BANYAN_NODE_RERUN: '1', PATH: `${dirname(node)}:${process.env.PATH ?? ''}` };
  const child = spawn(node, process.argv.slice(1), { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
