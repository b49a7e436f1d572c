/** The ceiling peer: a bare Express handler answering a JSON body of BODY_BYTES bytes. */
import express from 'express';
import type { AddressInfo } from 'node:net';

const bytes = Number(process.env.BODY_BYTES ?? 1000);
// `{"pad":""}` is 10 bytes; the padding makes up the rest.
const body = JSON.stringify({ pad: 'x'.repeat(Math.max(0, bytes - 10)) });

const app = express();
app.get('/json', (_req, res) => {
  res.type('application/json').send(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
