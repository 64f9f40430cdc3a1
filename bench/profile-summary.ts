/**
 * Self time of a V8 CPU profile (`node --cpu-prof`), by package and by function:
 * `node dist/tools/bench/profile-summary.js [--total] <file.cpuprofile>... [top]` (--total adds
 * inclusive time by function).
 * Packages are read from the script URL: node_modules/<name>, `relay` for the relay's own code,
 * `node` for Node's internals, and V8's pseudo-frames ((garbage collector), …). Frames of a bundle
 * with a source map beside it (the relay's minified dist/apps/relay/main.js) are read through it.
 * Idle time is left out of the percentages.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: Frame;
  children?: number[];
}

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, SourceMap | undefined>();

function mapOf(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    const file = `${path}.map`;
    maps.set(url, url.endsWith('.js') && existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined);
  }
  return maps.get(url);
}

function original(frame: Frame): Frame {
  const map = frame.url ? mapOf(frame.url) : undefined;
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber ?? 0);
  if (!entry || !('originalSource' in entry)) return frame;
  return { functionName: frame.functionName, url: entry.originalSource.replace(/^webpack:\/\/[^/]*\/(\.\/)?/, ''), lineNumber: entry.originalLine };
}

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/dist/apps/relay/') || /^(apps\/relay|libs)\//.test(url)) return 'relay';
  if (url.includes('/dist/tools/bench/')) return 'bench';
  return url;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  return url.replace(/^.*\/dist\//, 'dist/');
}

function summarise(file: string, top: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = original(byId.get(id)!.callFrame);
    if (functionName === '(idle)') continue;
    total += us;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}` : functionName;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  // Total (inclusive) time: a function counted once per stack, however often it recurses.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = original(byId.get(at)!.callFrame);
      if (!url) continue;
      const fn = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
      if (seen.has(fn)) continue;
      seen.add(fn);
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + us);
    }
  }
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
  return [`${file}: ${(total / 1000).toFixed(0)} ms busy`, 'self time by package:', ...rows(byPackage), 'self time by function:', ...rows(byFunction), ...(TOTAL ? ['total time by function:', ...rows(inclusive)] : []), ''].join('\n');
}

const [, , ...given] = process.argv;
const TOTAL = given.includes('--total');
const args = given.filter((a) => a !== '--total');
const top = args.length > 1 && /^\d+$/.test(args[args.length - 1]) ? Number(args.pop()) : 10;
if (args.length === 0) {
  process.stderr.write('usage: node dist/tools/bench/profile-summary.js <file.cpuprofile>... [top]\n');
  process.exit(1);
}
for (const file of args) process.stdout.write(`${summarise(file, top)}\n`);
