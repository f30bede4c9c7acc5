// The load generator of P4's loopback row, run in its own process so that it does not share the server's
// event loop or core: `node bench/load.mjs <url> <body file> <connections> <seconds>` POSTs the body with
// autocannon and prints {"rps", "non2xx", "errors"} as JSON.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, bodyFile, connections, seconds] = process.argv.slice(2);
const result = await autocannon({
  url,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: readFileSync(bodyFile, 'utf8'),
  connections: Number(connections),
  duration: Number(seconds),
});
process.stdout.write(`${JSON.stringify({ rps: result.requests.average, non2xx: result.non2xx, errors: result.errors })}\n`);
