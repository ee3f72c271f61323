/**
 * Route state in one JSON file: `{ "version": 1, "routes": { "<id>": PersistedRouteState } }`.
 * Each save rewrites the whole (small) document to a temporary file, fsyncs it and renames it over
 * the old one: rename(2) is atomic on POSIX, so a crash leaves either the old or the new document,
 * never half of one. Saves are serialised through one promise chain.
 *
 * Why a file by default: overrides must be in place before the router serves its first request,
 * also when Kafka is unreachable (an operator's kill switch must survive a restart during a Kafka
 * outage). A fleet of routers that must share overrides uses the compacted-topic store instead.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RouterControlErrors } from '../rollout/control-errors.ts';
import type { PersistedRouteState, RouteStateStore } from './route-state.ts';

export function createFileRouteStateStore(file: string): RouteStateStore {
  let routes: Record<string, PersistedRouteState> = {};
  let chain: Promise<void> = Promise.resolve();

  const write = async (): Promise<void> => {
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify({ version: 1, routes }, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  };

  return {
    async load() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
        throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_STATE_UNREADABLE(file, (err as Error).message, err as Error);
      }
      try {
        const doc = JSON.parse(text) as { version?: number; routes?: Record<string, PersistedRouteState> };
        if (doc.version !== 1 || typeof doc.routes !== 'object' || doc.routes === null) throw new Error('not a version 1 route state document');
        routes = { ...doc.routes };
      } catch (err) {
        throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_STATE_UNREADABLE(file, (err as Error).message, err as Error);
      }
      return new Map(Object.entries(routes));
    },
    save(routeId, state) {
      if (state) routes = { ...routes, [routeId]: state };
      else {
        const { [routeId]: _gone, ...rest } = routes;
        routes = rest;
      }
      const next = chain.then(write);
      chain = next.catch(() => undefined);
      return next.catch((err: unknown) => {
        throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_STATE_UNWRITABLE(file, (err as Error).message, err as Error);
      });
    },
    async close() {
      await chain;
    },
  };
}
