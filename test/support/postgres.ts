/**
 * A private PostgreSQL cluster for one test file: initdb in a temp dir, started on a free loopback
 * port with its socket in that dir, stopped and removed by `stop()`. The server binaries come from
 * Debian's package (scripts/setup.d/45-postgres.sh). PostgreSQL refuses to run as root, so under
 * root the cluster is owned and run by the `postgres` user the package creates.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface TestPostgres {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** A new connected client (the caller ends it). */
  client(): Promise<pg.Client>;
  /** Runs a .sql fixture (several statements) in one round trip. */
  runSqlFile(path: string | URL): Promise<void>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = await serverBinDir();
  const dir = await mkdtemp(join(tmpdir(), 'banyan-pg-'));
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  const owner = asRoot ? await postgresUser() : undefined;
  if (owner) {
    await chown(dir, owner.uid, owner.gid);
    await chmod(dir, 0o700);
  }
  const as = (cmd: string, args: string[]) => (owner ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));
  const user = 'banyan';
  await as(join(bin, 'initdb'), ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const port = await freePort();
  // fsync off: a test cluster, thrown away after the file; the bridge's durability is Kafka's.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50`;
  await as(join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const host = '127.0.0.1';
  const database = 'postgres';
  const connect = async () => {
    const c = new pg.Client({ host, port, database, user });
    await c.connect();
    return c;
  };
  let stopped = false;
  return {
    host,
    port,
    database,
    user,
    password: 'unused-trust-auth',
    client: connect,
    async runSqlFile(path) {
      const c = await connect();
      try {
        await c.query(await readFile(path, 'utf8'));
      } finally {
        await c.end();
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The newest /usr/lib/postgresql/<major>/bin (Debian's layout). */
async function serverBinDir(): Promise<string> {
  const base = '/usr/lib/postgresql';
  const majors = (await readdir(base).catch(() => [] as string[])).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) throw new Error('no PostgreSQL server under /usr/lib/postgresql: run scripts/setup.d/45-postgres.sh');
  return join(base, majors[0]!, 'bin');
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
    throw new Error('running as root and there is no postgres user to run the test cluster (install the postgresql package)');
  });
  const gid = (await run('id', ['-g', 'postgres'])).stdout;
  return { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
