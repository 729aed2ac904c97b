import { applyErrorHeaders, type XlinkHeaderStore } from './header-policy.js';
import type { XlinkReply } from './respond.js';
import { statusText } from './status-text.js';

/**
 * Headers of a web response in the making, as the header policy reads and writes them: by
 * lower-case name, `Set-Cookie` as a list (a `Headers` object joins nothing else).
 */
class WebHeaderStore implements XlinkHeaderStore {
  readonly values = new Map<string, string | readonly string[]>();

  constructor(initial: Headers | undefined) {
    if (initial === undefined) return;
    for (const [name, value] of initial) if (name !== 'set-cookie') this.values.set(name, value);
    const cookies = initial.getSetCookie();
    if (cookies.length > 0) this.values.set('set-cookie', cookies);
  }
  getHeaderNames(): string[] {
    return [...this.values.keys()];
  }
  hasHeader(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }
  getHeader(name: string): unknown {
    return this.values.get(name.toLowerCase());
  }
  setHeader(name: string, value: string | number | readonly string[]): void {
    this.values.set(name.toLowerCase(), typeof value === 'number' ? String(value) : value);
  }
  removeHeader(name: string): void {
    this.values.delete(name.toLowerCase());
  }
}

function isEmpty(headers: Headers | undefined): boolean {
  if (headers !== undefined) for (const _ of headers.keys()) return false;
  return true;
}

/**
 * The web `Response` for a reply, as the Node adapters write theirs ({@link writeReply}): the
 * headers the header policy decides (`appHeaders`: what the app set on the response before the
 * error, Hono's `c.header()`), the status with its own reason phrase, the JSON type and exact
 * length, the precomputed bytes. HEAD gets the same status and headers, and no body.
 */
export function webResponse(reply: XlinkReply, head: boolean, appHeaders?: Headers): Response {
  const [, contentType, , contentLength] = reply.body.head as [string, string, string, string];
  let headers: Record<string, string> | [string, string][];
  if (reply.headers === undefined && reply.status < 500 && !reply.vary && isEmpty(appHeaders)) {
    // The usual 4xx: nothing for the policy to do.
    headers = { 'content-type': contentType, 'content-length': contentLength };
  } else {
    const store = new WebHeaderStore(appHeaders);
    applyErrorHeaders(store, reply);
    const list: [string, string][] = [];
    for (const [name, value] of store.values) {
      if (name === 'content-type' || name === 'content-length') continue; // the envelope's own, below
      if (typeof value === 'string') list.push([name, value]);
      else for (const item of value) list.push([name, item]);
    }
    list.push(['content-type', contentType], ['content-length', contentLength]);
    headers = list;
  }
  return new Response(head ? null : reply.body.json, { status: reply.status, statusText: statusText(reply.status), headers });
}
