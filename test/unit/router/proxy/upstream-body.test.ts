import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { DispatchedBody, type FlowControl } from '../../../../src/router/proxy/upstream-body.ts';

function flow(): FlowControl & { log: string[] } {
  const log: string[] = [];
  return { log, pause: () => log.push('pause'), resume: () => log.push('resume'), abort: (e) => log.push(`abort:${e.message}`) };
}

/** Records what the body writes; `accept` says what res.write returns (backpressure). */
function fakeResponse(accept = true) {
  const ee = new EventEmitter();
  const calls: string[] = [];
  const res = Object.assign(ee, {
    write(chunk: Buffer) {
      calls.push(`write:${chunk}`);
      return accept;
    },
    end(chunk?: Buffer) {
      calls.push(chunk ? `end:${chunk}` : 'end');
      return res;
    },
    destroy(err?: Error) {
      calls.push(`destroy:${err?.message}`);
    },
  });
  return { res: res as unknown as ServerResponse, calls, ee };
}

test('chunks that arrived before the consumer are replayed, and a single-chunk body goes out with end()', async () => {
  const body = new DispatchedBody(flow());
  body.push(Buffer.from('{"a":1}'));
  body.end();
  const { res, calls } = fakeResponse();
  const tapped: string[] = [];
  await body.pipeTo(res, (c) => tapped.push(String(c)));
  assert.deepEqual(calls, ['end:{"a":1}']);
  assert.deepEqual(tapped, ['{"a":1}']);
});

test('a chunk is written once the current burst of callbacks is over, without waiting for the end', async () => {
  const f = flow();
  const body = new DispatchedBody(f);
  const { res, calls } = fakeResponse(false);
  const done = body.pipeTo(res);
  body.push(Buffer.from('a'));
  body.push(Buffer.from('b'));
  assert.deepEqual(calls, ['write:a'], 'the latest chunk is held back within one burst');
  await Promise.resolve();
  assert.deepEqual(calls, ['write:a', 'write:b']);
  assert.ok(f.log.includes('pause'), 'backpressure pauses the upstream');
  body.end();
  await done;
  assert.deepEqual(calls, ['write:a', 'write:b', 'end']);
});

test('the client closing mid-body aborts the upstream; an upstream error destroys the client response', async () => {
  const f = flow();
  const body = new DispatchedBody(f);
  const { res, ee } = fakeResponse();
  const done = body.pipeTo(res);
  body.push(Buffer.from('x'));
  ee.emit('close');
  await assert.rejects(done, /client closed/);
  assert.deepEqual(f.log, ['abort:client closed the connection']);

  const failing = new DispatchedBody(flow());
  const second = fakeResponse();
  const piped = failing.pipeTo(second.res);
  failing.fail(new Error('reset'));
  await assert.rejects(piped, /reset/);
  assert.deepEqual(second.calls, ['destroy:reset']);
});

test('collect keeps at most the cap, dump discards, and a body is consumed only once', async () => {
  const body = new DispatchedBody(flow());
  const collected = body.collect(3);
  body.push(Buffer.from('ab'));
  body.push(Buffer.from('cd'));
  body.end();
  assert.deepEqual(await collected, { body: Buffer.alloc(0), truncated: true });
  assert.throws(() => body.dump(), /consumed once/);
  const small = new DispatchedBody(flow());
  small.push(Buffer.from('ok'));
  small.end();
  assert.deepEqual(await small.collect(10), { body: Buffer.from('ok'), truncated: false });
});

test('a large body buffered before anyone reads it pauses the upstream, and attaching resumes it', () => {
  const f = flow();
  const body = new DispatchedBody(f);
  body.push(Buffer.alloc(300 * 1024));
  assert.deepEqual(f.log, ['pause']);
  body.dump();
  assert.deepEqual(f.log, ['pause', 'resume']);
});

test('a body complete before the consumer attaches goes out in order in one go, without listeners on the response', async () => {
  const body = new DispatchedBody(flow());
  body.push(Buffer.from('a'));
  body.push(Buffer.from('b'));
  body.push(Buffer.from('c'));
  body.end();
  const { res, calls, ee } = fakeResponse();
  const tapped: string[] = [];
  await body.pipeTo(res, (c) => tapped.push(String(c)));
  assert.deepEqual(calls, ['write:a', 'write:b', 'end:c']);
  assert.deepEqual(tapped, ['a', 'b', 'c']);
  assert.equal(ee.listenerCount('close') + ee.listenerCount('drain'), 0);
  assert.throws(() => body.dump(), /consumed once/);
});
