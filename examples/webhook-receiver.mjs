// A webhook receiver that verifies each delivery with the standardwebhooks package
// (docs/webhooks.md). Run: WEBHOOK_SECRET=whsec_... PORT=4000 node examples/webhook-receiver.mjs
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

const webhook = new Webhook(process.env.WEBHOOK_SECRET);
const seen = new Set(); // webhook-id: the same on every retry, so a redelivery can be recognised

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    let event;
    try {
      // Checks the signature (any of them, during a secret rotation) and that the timestamp is within 5 minutes.
      event = webhook.verify(body, req.headers);
    } catch {
      res.writeHead(400).end('bad signature');
      return;
    }
    const id = req.headers['webhook-id'];
    if (!seen.has(id)) {
      seen.add(id);
      console.log(id, event.type, JSON.stringify(event.data));
    }
    res.writeHead(204).end(); // any 2xx within WEBHOOK_TIMEOUT_MS: delivered
  });
}).listen(Number(process.env.PORT ?? 4000), '127.0.0.1');
