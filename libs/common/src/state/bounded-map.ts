/** At the bound, drops the oldest tenth (delete and set again to mark an entry recently used); for keys callers choose. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly maxEntries: number) {
    super();
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }

  override set(key: K, value: V): this {
    if (this.size >= this.maxEntries && !this.has(key)) this.dropOldest();
    return super.set(key, value);
  }

  // One entry per insert would make a flood at the bound quadratic: finding the oldest walks past deleted slots.
  private dropOldest(): void {
    let count = Math.ceil(this.maxEntries / 10);
    for (const key of this.keys()) {
      if (count-- === 0) break;
      this.delete(key);
    }
  }
}
