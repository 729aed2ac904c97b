/**
 * A Map whose entries expire and whose size is capped: what keeps the example's memory flat
 * under floods of requests. Expired entries are purged as new ones arrive (from the front,
 * cheaply, when entries expire in insertion order; a full sweep before refusing one when full).
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  /** No entry expires before this: when full and it is still ahead, a sweep would free nothing. */
  private earliestExpiry = Infinity;
  /** Whether entries were deleted since earliestExpiry was last computed (it may then be too early). */
  private stale = false;

  constructor(
    private readonly cap: number,
    private readonly now: () => number,
    /** Made when an entry would exceed the cap: thrown, nothing stored. Told in how many ms the earliest entry expires. */
    private readonly full: (retryAfterMs: number) => Error,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The live value, or undefined (an expired one is dropped on the way). */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores a value until `expiresAt` (re-setting a key moves it to the back). */
  set(key: K, value: V, expiresAt: number): void {
    if (this.entries.delete(key)) this.stale = true;
    this.purgeFront();
    if (this.entries.size >= this.cap) {
      if (this.stale || this.earliestExpiry <= this.now()) this.sweep(); // refusing stays O(1) under a flood
      if (this.entries.size >= this.cap) throw this.full(this.earliestExpiry - this.now());
    }
    this.entries.set(key, { value, expiresAt });
    this.earliestExpiry = Math.min(this.earliestExpiry, expiresAt);
  }

  delete(key: K): void {
    if (this.entries.delete(key)) this.stale = true;
  }

  /** Live values, purging expired ones on the way. */
  *values(): IterableIterator<V> {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
      else yield entry.value;
    }
  }

  /** Drops expired entries at the front: O(expired) when entries expire in insertion order. */
  private purgeFront(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) return;
      this.entries.delete(key);
    }
  }

  private sweep(): void {
    const now = this.now();
    this.earliestExpiry = Infinity;
    this.stale = false;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
      else this.earliestExpiry = Math.min(this.earliestExpiry, entry.expiresAt);
    }
  }
}
