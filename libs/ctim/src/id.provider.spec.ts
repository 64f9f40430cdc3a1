import { RandomIdGenerator, transientId } from './id.provider';

describe('transient ids', () => {
  it('match the CTIM transient pattern with a random UUID v4', () => {
    const ids = new RandomIdGenerator();
    expect(transientId('sighting', ids.uuid())).toMatch(/^transient:sighting-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.uuid()).not.toBe(ids.uuid());
  });
});
