/**
 * `banyan start` as a user runs it: a separate process in a directory whose banyan.yaml names no
 * brokers. It logs JSON, becomes ready on the embedded Kafka, and on SIGTERM stops the broker it
 * started and exits 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { repeatedJsonKeys } from '../../support/json-keys.ts';

const bin = fileURLToPath(new URL('../../../bin/banyan.js', import.meta.url));

interface LogLine {
  msg?: string;
  component?: string;
  http?: string;
  pid?: number;
  brokerPid?: number;
  level?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('banyan start runs the embedded Kafka, logs JSON lines that carry each key once, and on SIGTERM stops the broker and exits 0', { timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-cli-start-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'banyan.yaml'), 'http:\n  port: 0\n');

  const child = spawn(process.execPath, [bin, 'start'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));

  const lines: LogLine[] = [];
  const rawLines: string[] = [];
  const started = new Promise<LogLine>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        reject(new Error(`stdout line is not JSON: ${text}`));
        return;
      }
      lines.push(line);
      rawLines.push(text);
      if (line.msg === 'gateway started') resolve(line);
    });
    void exited.then((code) => reject(new Error(`banyan start exited with ${code} before starting: ${stderr}`)));
  });
  const ready = await started;
  const brokerLine = rawLines.find((l) => (JSON.parse(l) as LogLine).msg === 'embedded Kafka is up');
  assert.ok(brokerLine, 'the gateway logged "embedded Kafka is up"');
  // On the raw text: JSON.parse would keep only the last of two `pid` keys.
  assert.deepEqual(repeatedJsonKeys(brokerLine), [], `repeated keys in ${brokerLine}`);
  const broker = JSON.parse(brokerLine) as LogLine;
  assert.equal(broker.pid, child.pid, 'pid is the gateway process');
  const brokerPid = broker.brokerPid ?? 0;
  assert.ok(brokerPid > 0 && brokerPid !== child.pid && alive(brokerPid), 'the embedded broker runs as its own process (brokerPid)');

  let status = 0;
  for (let i = 0; i < 120 && status !== 200; i++) {
    status = (await fetch(`${ready.http}/health/ready`)).status;
    if (status !== 200) await sleep(500);
  }
  assert.equal(status, 200);

  child.kill('SIGTERM');
  assert.equal(await exited, 0, stderr);
  assert.equal(alive(brokerPid), false, 'the embedded broker is stopped with the gateway');
  assert.ok(lines.some((l) => l.msg === 'gateway stopped'));
  assert.ok(lines.every((l) => typeof l.level === 'string'), 'every line is a structured pino record');
  for (const raw of rawLines) assert.deepEqual(repeatedJsonKeys(raw), [], `repeated keys in ${raw}`);
});
