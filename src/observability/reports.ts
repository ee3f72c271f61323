/**
 * JSON pages that components add to the observability server while it runs (`GET /bridges`). The
 * server answers any GET it has no route for from here, so a component that starts after the
 * server listens can still add its page.
 */
export type Report = () => unknown;

export class Reports {
  readonly #pages = new Map<string, Report>();

  /** Adds the page at `path` (e.g. `/bridges`); returns the function that removes it again. */
  register(path: string, report: Report): () => void {
    if (!path.startsWith('/')) throw new Error(`report path "${path}" must start with "/"`);
    if (this.#pages.has(path)) throw new Error(`report "${path}" is already registered`);
    this.#pages.set(path, report);
    return () => {
      if (this.#pages.get(path) === report) this.#pages.delete(path);
    };
  }

  /** The page at `path`, or undefined when no component registered one. */
  lookup(path: string): Report | undefined {
    return this.#pages.get(path);
  }
}
