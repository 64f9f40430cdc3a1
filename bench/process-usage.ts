/**
 * What the benchmarks share. Mainly what a child process costs, read from /proc (Linux): CPU time
 * used so far and resident memory; CPU ms per request and peak RSS do not depend on how busy the
 * machine is, unlike latency. Also a keep-alive POST, percentiles, env parsing and the exit path.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';

let ticksPerSecond: number | undefined;

/** User + system CPU time of `pid` in ms, or NaN when /proc is not readable. */
export function cpuMsOf(pid: number): number {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** VmHWM (peak) and VmRSS of a process, in kB, or undefined when /proc is not readable. */
export function memoryOf(pid: number): { hwmKb: number; rssKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { hwmKb: field('VmHWM'), rssKb: field('VmRSS') };
  } catch {
    return undefined;
  }
}

/** One POST over a keep-alive socket: status and body text, or the transport error. */
export function post(agent: Agent, port: number, path: string, body: string, authorization: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', reject);
    req.end(body);
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** A positive integer from the environment variable `name`, else `fallback`. */
export function positiveInt(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > max) throw new Error(`${name} must be an integer between 1 and ${max}, got '${raw}'`);
  return n;
}

/** Runs a benchmark's main and exits: 0 when it finished, 1 with its error on stderr otherwise. */
export function runBench(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${name} bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

/** Resident memory of a process by kind, in kB, from /proc/<pid>/smaps: the executable's pages, other files', anonymous. */
export function residentByKind(pid: number): { binaryKb: number; filesKb: number; anonKb: number } | undefined {
  try {
    const exe = readlinkSync(`/proc/${pid}/exe`);
    const out = { binaryKb: 0, filesKb: 0, anonKb: 0 };
    let kind: keyof typeof out = 'anonKb';
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (mapping) {
        const path = mapping[1];
        kind = path === exe ? 'binaryKb' : path.startsWith('/') ? 'filesKb' : 'anonKb';
      } else if (line.startsWith('Rss:')) {
        out[kind] += Number(/(\d+)/.exec(line)![1]);
      }
    }
    return out;
  } catch {
    return undefined;
  }
}
