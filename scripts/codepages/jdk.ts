/**
 * Runs scripts/codepages/Gen.java on the machine's JDK and returns its dump of the IBM single-byte
 * charsets. Used by generate.ts (to write src/codec/codepages/tables/) and by the code-page test (to
 * check every byte of every table against the JDK at test time).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface JdkCodePageDump {
  /** Banyan's name, e.g. `cp037`. */
  readonly name: string;
  /** The JDK's canonical charset name, e.g. `IBM037`, `x-IBM875`. */
  readonly java: string;
  /** UTF-16 code unit each byte 0x00-0xFF decodes to; -1 where the JDK reports it unmappable. */
  readonly decode: readonly number[];
  /**
   * What the decode table cannot tell about the JDK's encoder: [code unit, byte] for characters it
   * encodes to a byte other than the single byte decoding to them (-1: decodable but not encodable).
   */
  readonly encode: readonly (readonly [number, number])[];
}

const genSource = fileURLToPath(new URL('./Gen.java', import.meta.url));

/** True when a `java` launcher (11+, for single-file source launch) is on the PATH. */
export function javaAvailable(): boolean {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return r.status === 0;
}

export function runJdkDump(): JdkCodePageDump[] {
  const r = spawnSync('java', [genSource], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`java ${genSource} failed (exit ${r.status}): ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JdkCodePageDump);
}

/** `java -version` first line, recorded in generated files. */
export function javaVersion(): string {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return (r.stderr.split('\n')[0] ?? 'unknown').trim();
}

export interface JdkDbcsDump {
  readonly name: string;
  readonly java: string;
  /** True for SO/SI pages (x-IBM930 ...), false for pure DBCS pages (x-IBM300, x-IBM834). */
  readonly mixed: boolean;
  /** Mixed pages: what each single byte decodes to outside SO/SI (-1 unmapped, SO/SI included). */
  readonly sbcs: readonly number[] | null;
  /** 192 x 192 code units for lead and trail bytes 0x40-0xFF, row-major by lead byte; -1 unmapped. */
  readonly dbcs: readonly number[];
  /** [code unit, code]: code 0x4040-0xFFFF a DBCS code, 0x100|b single byte b, -1 not encodable. */
  readonly encode: readonly (readonly [number, number])[];
}

const genDbcsSource = fileURLToPath(new URL('./GenDbcs.java', import.meta.url));

export function runJdkDbcsDump(): JdkDbcsDump[] {
  const r = spawnSync('java', [genDbcsSource], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`java ${genDbcsSource} failed (exit ${r.status}): ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JdkDbcsDump);
}
