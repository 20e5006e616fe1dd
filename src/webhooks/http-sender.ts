/**
 * The HTTP side of webhooks: posting a delivery through one undici connection pool, and refusing
 * targets on loopback or private networks unless allowed (SWITCHYARD_WEBHOOK_ALLOW_PRIVATE). The
 * check is made when an endpoint is saved, and again on every connection, on the addresses the name
 * resolves to then, so a name that later resolves to a private address is refused too.
 */
import { lookup } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, request } from 'undici';
import { EXCERPT_CHARS } from '../domain/webhooks.js';

/** What one attempt got: the endpoint's status and the start of its answer, or why there was none. */
export type SendResult = { status: number; excerpt: string; durationMs: number } | { error: string; durationMs: number };

export interface WebhookSender {
  send(url: string, headers: Record<string, string>, body: string, timeoutMs: number, signal?: AbortSignal): Promise<SendResult>;
  close(): Promise<void>;
}

/** Whether an address is one a webhook may reach without SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: public unicast only. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

class PrivateTarget extends Error {}

/** dns.lookup, refusing a name any of whose addresses is not public. */
function publicLookup(hostname: string, options: object, callback: (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) return callback(new PrivateTarget(`${hostname} resolves to ${refused.address}, a loopback or private address`), []);
    if ((options as { all?: boolean }).all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/** Why a URL cannot be a webhook's target, or null when it can. */
export async function targetProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http or https URL';
  if (parsed.username || parsed.password) return 'must not hold a user name or password';
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isPublicAddress(host) ? null : `${host} is a loopback or private address (set SWITCHYARD_WEBHOOK_ALLOW_PRIVATE to allow it)`;
  return new Promise((resolve) =>
    lookup(host, { all: true }, (err, addresses) => {
      if (err) return resolve(`${host} cannot be resolved`);
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      resolve(refused ? `${host} resolves to ${refused.address}, a loopback or private address (set SWITCHYARD_WEBHOOK_ALLOW_PRIVATE to allow it)` : null);
    }),
  );
}

/** Text a log can keep: no NUL (PostgreSQL refuses it in text) and no other control character but tab and newlines. */
export function loggable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
}

/**
 * The start of an answer's body, as text: reading stops there (the connection is dropped rather than
 * read to the end of an answer that may never end). Never throws: what was read is what is kept.
 */
async function excerptOf(body: AsyncIterable<Buffer> & { destroy?(): void }): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  try {
    for await (const chunk of body) {
      text += decoder.decode(chunk, { stream: true });
      if (text.length >= EXCERPT_CHARS) break;
    }
  } catch {
    // An answer cut short: its status stands.
  }
  return loggable(text.slice(0, EXCERPT_CHARS));
}

export function createWebhookSender({ allowPrivate }: { allowPrivate: boolean }): WebhookSender {
  const agent = new Agent({
    connections: 32,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    connect: allowPrivate ? {} : { lookup: publicLookup as never },
  });
  return {
    async send(url, headers, body, timeoutMs, signal) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const timeout = AbortSignal.timeout(timeoutMs);
      try {
        if (!allowPrivate) {
          const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
          if (isIP(host) && !isPublicAddress(host)) return { error: `${host} is a loopback or private address`, durationMs: 0 };
        }
        const res = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Switchyard-Webhooks/1', ...headers },
          body,
          dispatcher: agent,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        return { status: res.statusCode, excerpt: await excerptOf(res.body), durationMs: elapsed() };
      } catch (e) {
        const err = e as Error & { code?: string; cause?: Error };
        const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : (err.cause?.message ?? err.message ?? String(e));
        return { error: loggable(why.slice(0, 500)), durationMs: elapsed() };
      }
    },
    close: () => agent.close(),
  };
}
