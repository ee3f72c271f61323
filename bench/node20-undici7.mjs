// Node 20 legs of the benchmarks only: undici 8 needs Node >= 22.19, so on Node 20 the sources'
// `import ... from 'undici'` is resolved to undici 7 (the devDependency alias `undici7`), the last
// line that runs there. Same Banyan code; the report names the undici version of each leg.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'undici' || specifier.startsWith('undici/')) return next(specifier.replace(/^undici/, 'undici7'), context);
  return next(specifier, context);
}`), import.meta.url);
