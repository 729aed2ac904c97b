/**
 * Per-client quotas: so many actions per client (an address, see client-address.ts) in a fixed
 * window. What keeps one client from filling a cap every other client shares: the one who
 * reaches a quota is refused, with the true time its window ends, and nobody else notices.
 */
import { BoundedMap } from './bounded-map';

export interface QuotaLimit {
  readonly max: number;
  readonly seconds: number;
}

export class ClientQuota {
  private readonly windows: BoundedMap<string, { used: number; endsAt: number }>;

  constructor(
    private readonly limit: QuotaLimit,
    private readonly now: () => number,
    /** The error for a client that used its quota, told how long until its window ends. */
    private readonly exceeded: (retryAfterSeconds: number) => Error,
    /** How many clients are counted at once, and the error when that many are. */
    cap: number,
    full: (retryAfterMs: number) => Error,
  ) {
    this.windows = new BoundedMap(cap, now, full);
  }

  /** Throws `exceeded` when the client has no quota left. `undefined` (an in-process caller) is not counted. */
  check(client: string | undefined): void {
    if (client === undefined) return;
    const window = this.windows.get(client);
    if (window !== undefined && window.used >= this.limit.max) throw this.exceeded((window.endsAt - this.now()) / 1000);
  }

  /** Counts one action of the client (after it succeeded). */
  spend(client: string | undefined): void {
    if (client === undefined) return;
    const window = this.windows.get(client);
    if (window !== undefined) window.used += 1;
    else {
      const endsAt = this.now() + this.limit.seconds * 1000;
      this.windows.set(client, { used: 1, endsAt }, endsAt);
    }
  }

  get size(): number {
    return this.windows.size;
  }
}
