/** The comparison peer: a bare Express handler with no middleware, in its own process. */
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.get('/ping', (_req, res) => {
  res.json({ status: 'ok' });
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
