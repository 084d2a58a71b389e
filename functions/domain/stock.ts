/**
 * Stock of a flash-sale product is spread over N shard items, so that thousands of buyers in the
 * same second do not all write one DynamoDB item (≈1,000 WCU/s, ≈500 transactional writes/s).
 */
export const MAX_STOCK_SHARDS = 64;

/** Splits `total` units over `shards` items, as evenly as possible; the parts add up to the total. */
export function splitStock(total: number, shards: number): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`stock must be a whole number ≥ 0 (got ${total})`);
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_STOCK_SHARDS) throw new RangeError(`stock shards must be 1 to ${MAX_STOCK_SHARDS} (got ${shards})`);
  const base = Math.floor(total / shards);
  return Array.from({ length: shards }, (_, i) => base + (i < total % shards ? 1 : 0));
}

/**
 * Which shard a reservation line takes from: a random one first, spreading buyers over the
 * shards; when that one is short, a random one among those that still hold enough units.
 */
export class ShardCursor {
  private readonly tried = new Set<number>();
  private current: number;

  constructor(
    readonly shards: number,
    private readonly random: () => number = Math.random,
  ) {
    this.current = shards > 1 ? Math.floor(random() * shards) : 0;
    this.tried.add(this.current);
  }

  get shard(): number {
    return this.current;
  }

  /** Moves to an untried shard holding at least `quantity` (from a fresh read); false if none. */
  next(stockByShard: ReadonlyMap<number, number>, quantity: number): boolean {
    const candidates = [...stockByShard].filter(([shard, stock]) => stock >= quantity && shard < this.shards && !this.tried.has(shard)).map(([shard]) => shard);
    if (candidates.length === 0) return false;
    this.current = candidates[Math.floor(this.random() * candidates.length)]!;
    this.tried.add(this.current);
    return true;
  }
}
