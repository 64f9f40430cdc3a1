/**
 * A Map that never holds more than `maxEntries`: adding a key at the bound first drops the oldest
 * tenth (insertion order; delete and set again to mark an entry as recently used). For every map
 * whose keys come from callers (tenants, credentials, ids), so that no input can grow memory
 * without bound.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly maxEntries: number) {
    super();
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }

  override set(key: K, value: V): this {
    if (this.size >= this.maxEntries && !this.has(key)) this.dropOldest();
    return super.set(key, value);
  }

  /**
   * A tenth at a time: finding the oldest key walks past the slots of entries deleted since the
   * map last compacted, so one entry per insert would make a flood at the bound quadratic.
   */
  private dropOldest(): void {
    let count = Math.ceil(this.maxEntries / 10);
    for (const key of this.keys()) {
      if (count-- === 0) break;
      this.delete(key);
    }
  }
}
