/**
 * The migration console's files: plain HTML, CSS and JavaScript next to this module, no build
 * step. Read once when the admin server is built and served from memory.
 */
import { readFileSync } from 'node:fs';

export interface ConsoleAsset {
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

const FILES: ReadonlyArray<{ path: string; file: string; contentType: string }> = [
  { path: '/', file: 'index.html', contentType: 'text/html; charset=utf-8' },
  { path: '/console/console.css', file: 'console.css', contentType: 'text/css; charset=utf-8' },
  { path: '/console/console.js', file: 'console.js', contentType: 'text/javascript; charset=utf-8' },
];

export function consoleAssets(): ConsoleAsset[] {
  return FILES.map((f) => ({ path: f.path, contentType: f.contentType, body: readFileSync(new URL(f.file, import.meta.url), 'utf8') }));
}
