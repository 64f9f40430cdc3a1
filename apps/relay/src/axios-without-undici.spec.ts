import axios from 'axios';

const HIDDEN = ['fetch', 'Request', 'Response', 'FormData'];
const descriptors = () => HIDDEN.map((name) => Object.getOwnPropertyDescriptor(globalThis, name)).map((d) => [d?.get, d?.value, d?.configurable]);

describe('loading axios without its fetch globals', () => {
  it('puts every global back as it was (the same getter or value), and axios still works', async () => {
    const before = descriptors();
    jest.isolateModules(() => void import('./axios-without-undici'));
    await new Promise(setImmediate);
    expect(descriptors()).toEqual(before);
    expect(before.every(([get, value]) => typeof get === 'function' || typeof value === 'function')).toBe(true);
    expect(typeof axios.request).toBe('function');
  });
});
