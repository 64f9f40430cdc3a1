// axios reads fetch, Request, Response and FormData when it loads. In Node each is a lazy global whose first
// read loads undici (~2.7 MB of memory), yet the relay's calls never use fetch. They are hidden while axios
// loads and then put back as they were, so a later reader still gets Node's own.
const LAZY_GLOBALS = ['fetch', 'Request', 'Response', 'FormData'];
const saved = LAZY_GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const).filter(([, found]) => found?.configurable);
for (const [name] of saved) Object.defineProperty(globalThis, name, { value: undefined, configurable: true, writable: true });
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- must run between hiding and restoring
  require('axios');
} finally {
  for (const [name, descriptor] of saved) Object.defineProperty(globalThis, name, descriptor!);
}

export {};
