/** Baseline (a): bare Express 5 + express.json() returning a fixed Onerway-style envelope. */
import express from 'express';
import { ready, serve } from './common.mjs';

const ENVELOPE = { respCode: '20000', respMsg: 'success', data: { operateRecordId: 200001 } };

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(express.json());
app.post('/api/v1/merchant/card/deposit', (_req, res) => {
  res.json(ENVELOPE);
});

const server = app.listen(0, '127.0.0.1', (error) => {
  if (error) throw error;
  const { port } = server.address();
  serve({
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(true));
        server.closeAllConnections();
      }),
  });
  ready(`http://127.0.0.1:${port}`);
});
