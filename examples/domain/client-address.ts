/**
 * Who a request comes from, for the per-client limits: the socket's address, the same way on
 * Express and Koa. Behind a reverse proxy every request comes from the proxy, so a deployment
 * says how many proxies it has in front (`XLINK_TRUST_PROXY=1`): the address is then the one the
 * outermost trusted proxy appended to `X-Forwarded-For` (entries further left are whatever the
 * client wrote, and are never trusted).
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** The client key of a request: an IPv4 address, or the /64 of an IPv6 one (one subscriber's whole block). */
export function clientAddress(req: IncomingMessage, trustedProxies = 0): string {
  let address = req.socket.remoteAddress ?? '';
  if (trustedProxies > 0) {
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((part) => part.trim()).filter(Boolean);
    // The proxy nearest to us appended the last entry; with n trusted proxies, the n-th from the right is the client.
    const forwarded = hops[hops.length - trustedProxies];
    if (forwarded !== undefined && isIP(forwarded) !== 0) address = forwarded;
  }
  return clientKey(address);
}

/** One spelling per client: `::ffff:1.2.3.4` is 1.2.3.4; an IPv6 address counts by its /64. */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
