/** Sending answers in the representation the client negotiated (JSON or XML). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defaultNegotiation } from './content-negotiation.js';
import { encodeXml, XmlListWriter } from './xml-codec.js';

/** Sends a value in the negotiated representation (JSON where the client asked for a file's bytes: an error, say). */
export function send(req: FastifyRequest, reply: FastifyReply, status: number, value: unknown, xmlRoot?: string): FastifyReply {
  const negotiated = req.negotiated ?? defaultNegotiation();
  const n = negotiated.format === 'file' ? defaultNegotiation() : negotiated;
  reply.code(status).type(n.contentType);
  return reply.send(n.format === 'xml' ? encodeXml(value, xmlRoot) : JSON.stringify(value));
}

/** Sends a list as its items arrive, presenting and encoding each one at once so that only its text is kept. */
export async function sendList<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  items: AsyncIterable<T> | Iterable<T>,
  present: (item: T) => object,
  xmlRoot: string,
): Promise<FastifyReply> {
  const n = req.negotiated ?? defaultNegotiation();
  const xml = n.format === 'xml' ? new XmlListWriter(xmlRoot) : null;
  const json: string[] = [];
  for await (const item of items) {
    if (xml) xml.add(present(item));
    else json.push(JSON.stringify(present(item)));
  }
  reply.code(status).type(n.contentType);
  return reply.send(xml ? xml.finish() : `[${json.join(',')}]`);
}

/** Sends a file's bytes as they are, with its media type. */
export function sendFile(reply: FastifyReply, status: number, content: Uint8Array, contentType: string): FastifyReply {
  return reply.code(status).type(contentType).send(Buffer.from(content.buffer, content.byteOffset, content.byteLength));
}
