// A fast local HTTP service for bench/http-target.bench.ts, in its own process so its CPU is not
// counted as the client's: reads each request body and answers 204. Prints its port on stdout.
import { createServer } from 'node:http';

let requests = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    requests++;
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('message', (m) => {
  if (m === 'count') process.send?.(requests);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
