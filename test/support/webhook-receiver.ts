/**
 * A real HTTP receiver of webhooks, as a customer would run one: it keeps every request (headers and
 * raw body) and verifies each signature with the `standardwebhooks` package, given the endpoint's
 * secret, through examples/webhook-receiver.ts's verifyDelivery (the documented snippet). What it
 * answers is the test's to decide, request by request.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyDelivery } from '../../examples/webhook-receiver.js';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** The payload, when its signature verified with the receiver's secret. */
  verified: { type: string; timestamp: string; data: Record<string, unknown> } | null;
  /** Why it did not verify. */
  error: string | null;
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** The status of the n-th request (0-based); 200 unless the test says otherwise. */
  answer: (n: number) => number = () => 200;
  /** The body of the n-th answer. */
  body: (n: number) => string = (n) => (this.answer(n) < 300 ? 'thanks' : 'not now');
  /** How long it takes to answer. */
  delayMs = 0;
  secret: string | null = null;
  private server: Server | null = null;
  private waiters: (() => void)[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const n = this.received.length;
        let verified: Received['verified'] = null;
        let error: string | null = null;
        try {
          verified = verifyDelivery(this.secret ?? '', body, req.headers);
        } catch (e) {
          error = (e as Error).message;
        }
        this.received.push({ headers: req.headers, body, verified, error });
        const status = this.answer(n);
        for (const wake of this.waiters.splice(0)) wake();
        setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end(this.body(n)), this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  /** Waits until it has received `count` requests (at most `ms`, then whatever it has). */
  async waitFor(count: number, ms = 20_000): Promise<Received[]> {
    const deadline = Date.now() + ms;
    while (this.received.length < count && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100).unref();
      });
    }
    return this.received;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
