import { BoundedMap } from './bounded-map';

describe('BoundedMap', () => {
  it('holds at most maxEntries after 30,000 distinct keys, keeping the newest', () => {
    const map = new BoundedMap<string, number>(1_000);
    let largest = 0;
    for (let i = 0; i < 30_000; i++) {
      map.set(`tenant-${i}`, i);
      largest = Math.max(largest, map.size);
    }
    expect(largest).toBe(1_000);
    // At the bound the oldest tenth goes at once.
    expect(map.size).toBeGreaterThanOrEqual(900);
    expect([...map.keys()]).toEqual(Array.from({ length: map.size }, (_, i) => `tenant-${30_000 - map.size + i}`));
  });

  it('drops the oldest entry (a tenth of a small bound is one), and an entry set again after deleting it counts as new', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    map.set('a', 10); // replacing keeps the size and the order
    expect([...map]).toEqual([['a', 10], ['b', 2]]);
    map.delete('a');
    map.set('a', 11);
    map.set('c', 3);
    expect([...map.keys()]).toEqual(['a', 'c']);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
    expect(() => new BoundedMap(1.5)).toThrow(RangeError);
  });
});
