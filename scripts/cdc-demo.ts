/**
 * `node bin/run-ts.js scripts/cdc-demo.ts [TRANSACTIONS]`: the README's DB2 CDC demo database. Starts
 * a private PostgreSQL (Debian's server, scripts/setup.d/45-postgres.sh) holding IBM's ASN control
 * tables and GetWell's CD tables (test/fixtures/db2-cdc/*.sql), writes TRANSACTIONS (default 100)
 * source transactions into them the way ASN Capture does (test/support/asn-capture-simulator.ts),
 * prints the variables bridges/getwell-cdc.yaml reads, then writes 10 more transactions every few
 * seconds until Ctrl-C, when the cluster is stopped and removed.
 */
import { createCaptureSimulator } from '../test/support/asn-capture-simulator.ts';
import { createWorkload, GETWELL_TABLES, loadGetwellSchema, mulberry32 } from '../test/support/getwell-cdc.ts';
import { startPostgres } from '../test/support/postgres.ts';

const count = Number(process.argv[2] ?? 100);
const pg = await startPostgres();
const client = await pg.client();
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await client.end().catch(() => {});
  await pg.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
try {
  await loadGetwellSchema(pg);
  const workload = createWorkload(createCaptureSimulator({ client, tables: GETWELL_TABLES }), mulberry32(1));
  await workload.run(count, 25);
  process.stdout.write(
    [
      `cdc-demo: PostgreSQL stand-in on ${pg.host}:${pg.port} with ${workload.stats().committed} transactions (${workload.stats().changes} changes) in ASNCDC`,
      `export BANYAN_CDC_HOST=${pg.host} BANYAN_CDC_PORT=${pg.port} BANYAN_CDC_DATABASE=${pg.database} BANYAN_CDC_USER=${pg.user} BANYAN_CDC_PASSWORD=${pg.password}`,
      'cdc-demo: 10 more transactions every 5 s; Ctrl-C stops and removes the database',
      '',
    ].join('\n'),
  );
  while (!stopping) {
    await new Promise((r) => setTimeout(r, 5000));
    if (!stopping) await workload.run(10, 10);
  }
} catch (err) {
  console.error(err);
  await stop();
}
