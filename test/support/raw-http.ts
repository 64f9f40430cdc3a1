// Reading an HTTP answer received whole on a raw socket (tests that must control the bytes sent).
export const statusLine = (raw: string): string => raw.split('\r\n')[0];

export const headerOf = (raw: string, name: string): string | undefined =>
  raw
    .split('\r\n\r\n')[0]
    .split('\r\n')
    .find((l) => l.toLowerCase().startsWith(`${name}:`))
    ?.slice(name.length + 1)
    .trim();

export const bodyOf = (raw: string): unknown => JSON.parse(raw.split('\r\n\r\n')[1]);
