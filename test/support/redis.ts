import Redis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describeWith, REDIS_SERVER } from './prerequisites';

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

const BINARY = 'redis-server';

/** A suite that needs Debian's redis-server (.ci/run installs it; a laptop may not have it). */
export function describeWithRedis(name: string, fn: () => void): void {
  describeWith(REDIS_SERVER, name, fn);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A throw-away Redis on a loopback port, no persistence. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 5000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/**
 * Waits (at most `timeoutMs`) until `count` clients besides this probe are connected to `url`: a
 * relay uses Redis only once connected, and one started on a busy machine may take a moment.
 */
export async function waitForRedisClients(url: string, count: number, timeoutMs = 15_000): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await probe.connect();
    const until = Date.now() + timeoutMs;
    for (;;) {
      const list = String(await probe.client('LIST'));
      const others = list.split('\n').filter((line) => line.trim() !== '').length - 1;
      if (others >= count) return;
      if (Date.now() > until) throw new Error(`only ${others} of ${count} clients connected to Redis after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    probe.disconnect();
  }
}
