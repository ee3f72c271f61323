/**
 * What `validateProject` needs to know about a config file kind: where its files are, and the check
 * that is the single source of its rules (Benthos-style). The toolkit knows no kind itself; the
 * composition root lists them (src/config-catalog.ts), each from the area that owns its spec. No
 * registration by import side effect: a new kind is one entry in that catalog.
 */
import type { ConfigIssue } from './issues.ts';

export interface ConfigCheckContext {
  /** Project root (`--dir`); cross references such as a bridge's `mapping:` resolve against it. */
  readonly rootDir: string;
  /** Environment used for `${ENV}` interpolation. */
  readonly env: NodeJS.ProcessEnv;
  /** Absolute path of the file being checked; references inside it may be relative to its directory. */
  readonly filePath: string;
}

export interface ConfigKind {
  /** Short stable name, e.g. `bridge`. */
  readonly kind: string;
  /** One line for humans: what the file is. */
  readonly describe: string;
  /** `relPath` is relative to the project root with `/` separators, e.g. `bridges/orders-mq.yaml`. */
  matches(relPath: string): boolean;
  /** Every issue in the file; `file` is the name issues should carry, `text` its content. */
  check(file: string, text: string, context: ConfigCheckContext): ConfigIssue[];
  /** Rules across all files of this kind (e.g. unique bridge names), run once every file was checked. */
  checkAcross?(files: ReadonlyArray<{ file: string; text: string }>): ConfigIssue[];
}

/** The project file (banyan.yaml), which says where the other kinds' directories are. */
export interface ProjectFileKind extends ConfigKind {
  /** File name under the project root when none is named (`banyan.yaml`). */
  readonly fileName: string;
  /**
   * The directories other kinds are found under, keyed by the first segment of their relative paths
   * (`bridges`, `mappings`): from the project file when it exists and is valid, else the conventional ones.
   */
  directories(rootDir: string, projectFile: string | undefined, env: NodeJS.ProcessEnv): Readonly<Record<string, string>>;
}

export interface ConfigCatalog {
  readonly project: ProjectFileKind;
  /** Kinds found under the project file's directories; the first whose `matches` accepts a path owns it. */
  readonly kinds: readonly ConfigKind[];
}

/** The kind that owns `relPath`, or undefined when no kind validates such a file. */
export function kindOf(catalog: ConfigCatalog, relPath: string): ConfigKind | undefined {
  return catalog.kinds.find((k) => k.matches(relPath));
}
