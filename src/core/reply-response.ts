import type { ServerResponse } from 'node:http';
import { applyErrorHeaders, statusText, type XlinkHeaderStore } from './header-policy.js';
import type { XlinkReply } from './respond.js';

/**
 * A framework reply that keeps its headers in a store of its own until it writes them, and
 * sends a payload through its own pipeline: Fastify's `FastifyReply` (also what NestJS's
 * Fastify platform hands an exception filter). Structural, so that the core imports no framework.
 */
export interface XlinkReplyLike {
  readonly raw: ServerResponse;
  code(status: number): unknown;
  header(name: string, value: unknown): unknown;
  getHeaders(): Record<string, unknown>;
  hasHeader(name: string): boolean;
  getHeader(name: string): unknown;
  removeHeader(name: string): unknown;
  send(payload: string): unknown;
}

/**
 * Writes a reply through a framework's reply: the headers as the core's policy decides (as for
 * Express: what the app set before stays, what describes another body goes), the status with
 * its own reason phrase, and the precomputed body with its length, by `reply.send()`, so that
 * the framework's `onSend` and `onResponse` hooks run as for any response. HEAD gets the same
 * status and headers, its `Content-Length` included, and no body: Fastify's HEAD routes drop the
 * payload in their `onSend` hook, and Node sends no body on a HEAD response (an unknown route's).
 */
export function sendThroughReply(reply: XlinkReplyLike, xlinkReply: XlinkReply): void {
  applyErrorHeaders(new ReplyHeaders(reply), xlinkReply);
  const { status, body } = xlinkReply;
  reply.code(status);
  reply.raw.statusMessage = statusText(status); // Fastify writes the head without a reason phrase
  // The body's precomputed header list: ['Content-Type', type, 'Content-Length', length].
  reply.header('content-type', body.head[1]);
  reply.header('content-length', body.head[3]);
  reply.send(body.json); // a string, as Fastify hands `onSend` hooks any JSON reply's payload
}

/**
 * Fastify keeps the headers of a reply in its own store until it writes them (those set on
 * `reply.raw` directly, in Node's): the header policy works on both through the reply.
 */
class ReplyHeaders implements XlinkHeaderStore {
  constructor(private readonly reply: XlinkReplyLike) {}
  getHeaderNames(): string[] {
    return Object.keys(this.reply.getHeaders());
  }
  hasHeader(name: string): boolean {
    return this.reply.hasHeader(name);
  }
  getHeader(name: string): unknown {
    return this.reply.getHeader(name);
  }
  setHeader(name: string, value: string | number | readonly string[]): void {
    this.reply.header(name, value);
  }
  removeHeader(name: string): void {
    this.reply.removeHeader(name);
  }
}
