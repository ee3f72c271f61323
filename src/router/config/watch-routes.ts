/**
 * Hot reload of mappings/routes: fs.watch on the directory (editors often replace a file by
 * rename, which a per-file watch would lose) with a debounce, so a burst of writes from one save
 * or a `git checkout` causes one reload.
 */
import { watch, type FSWatcher } from 'node:fs';

export interface RouteWatcher {
  close(): void;
}

export function watchRouteDirectory(dir: string, debounceMs: number, onChange: () => void): RouteWatcher {
  let timer: NodeJS.Timeout | undefined;
  // Every event counts, not only *.yaml names: a Kubernetes ConfigMap update swaps a `..data`
  // symlink and reports only that name. A reload of unchanged files is harmless.
  const watcher: FSWatcher = watch(dir, { persistent: false }, () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
