// A webhook receiver as an integration writes one: verify each delivery with the endpoint's secret
// (Standard Webhooks: npm install standardwebhooks), answer 2xx at once, then act on the event.
// Run it: WEBHOOK_SECRET=whsec_… PORT=3000 npx tsx examples/webhook-receiver.ts
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface SwitchyardEvent {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** The event, if the delivery is genuine: signed with the secret, unchanged, and sent in the last 5 minutes. Throws otherwise. */
export function verifyDelivery(secret: string, body: string, headers: IncomingHttpHeaders): SwitchyardEvent {
  return new Webhook(secret).verify(body, headers as Record<string, string>) as SwitchyardEvent;
}

if (process.argv[1]?.endsWith('webhook-receiver.ts')) {
  const secret = process.env.WEBHOOK_SECRET ?? '';
  createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      try {
        const event = verifyDelivery(secret, body, req.headers);
        res.writeHead(204).end();
        // The same event may come twice (at least once): webhook-id is its id, to skip one already handled.
        console.log(req.headers['webhook-id'], event.type, event.data.Reference ?? event.data.ManifestReference);
      } catch {
        res.writeHead(400).end('bad signature');
      }
    });
  }).listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log('listening'));
}
