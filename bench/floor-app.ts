/**
 * The floor `npm run bench:cost` measures the relay against: a bare NestJS + Fastify app (the
 * relay's installed versions, the relay's node flags), one POST route answering FLOOR_BODY as
 * JSON. No guard, pipe, logging, metrics or headers: what the framework alone costs per request.
 *
 * With FLOOR_REPLAY_FILE (read once at start) it also serves POST /replay/:id, "floor + calls":
 * per request it makes the Defender calls the relay made for that request, with the cheapest
 * honest client (node:http, one keep-alive Agent bounded to the relay's per-app concurrency, a
 * bearer token, whole body read and JSON-parsed), then answers the relay's answer. GET
 * /replay/stats counts the calls made and those that failed.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Agent, request, RequestOptions } from 'node:http';
import { BadGatewayException, Controller, Get, HttpCode, Module, NotFoundException, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

const BODY: unknown = JSON.parse(process.env.FLOOR_BODY ?? '{}');

@Controller()
class FloorController {
  @Post(process.env.FLOOR_ROUTE ?? 'refer/observables')
  @HttpCode(200)
  answer(): unknown {
    return BODY;
  }

  @Get('version')
  version(): unknown {
    return { version: 'floor' };
  }
}

/** What the bench writes to FLOOR_REPLAY_FILE. */
export interface ReplayFile {
  /** The sandbox origin, e.g. http://127.0.0.1:41234. */
  upstream: string;
  concurrency: number;
  requests: Record<string, { calls: ReplayCall[]; answer: unknown }>;
}

export interface ReplayCall {
  method: string;
  /** Path and encoded query string. */
  path: string;
  api: 'defender' | 'graph';
  /** JSON text of a POST's body. */
  body?: string;
  /** The status the relay got. */
  status: number;
}

interface Prepared {
  options: RequestOptions;
  body?: string;
  expected: number;
}

const totals = { calls: 0, failed: 0 };

function loadReplay(file: string): Map<string, { calls: Prepared[]; answer: unknown }> {
  const replay = JSON.parse(readFileSync(file, 'utf8')) as ReplayFile;
  const upstream = new URL(replay.upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: replay.concurrency });
  const tokens = { defender: process.env.FLOOR_DEFENDER_TOKEN ?? '', graph: process.env.FLOOR_GRAPH_TOKEN ?? '' };
  const prepare = (call: ReplayCall): Prepared => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${tokens[call.api]}`, accept: 'application/json' };
    if (call.body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(call.body) });
    return { options: { host: upstream.hostname, port: upstream.port, method: call.method, path: call.path, agent, headers, timeout: 30_000 }, body: call.body, expected: call.status };
  };
  return new Map(Object.entries(replay.requests).map(([id, r]) => [id, { calls: r.calls.map(prepare), answer: r.answer }]));
}

/** One call: true when it answered 2xx, or the same 4xx the relay got (a 404, Defender's 400 for an IPv6 alerts lookup), with JSON or nothing. */
function replayCall(call: Prepared): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(call.options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => resolve(false));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          if (text !== '') JSON.parse(text);
        } catch {
          return resolve(false);
        }
        resolve((status >= 200 && status < 300) || (status >= 400 && status < 500 && status === call.expected));
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', () => resolve(false));
    req.end(call.body);
  });
}

const REPLAY = process.env.FLOOR_REPLAY_FILE ? loadReplay(process.env.FLOOR_REPLAY_FILE) : new Map<string, { calls: Prepared[]; answer: unknown }>();

@Controller('replay')
class ReplayController {
  @Post(':id')
  @HttpCode(200)
  async replay(@Param('id') id: string): Promise<unknown> {
    const entry = REPLAY.get(id);
    if (!entry) throw new NotFoundException();
    const ok = await Promise.all(entry.calls.map(replayCall));
    const failed = ok.filter((x) => !x).length;
    totals.calls += ok.length;
    totals.failed += failed;
    if (failed > 0) throw new BadGatewayException(`${failed} of ${ok.length} replayed calls failed`);
    return entry.answer;
  }

  @Get('stats')
  stats(): unknown {
    return totals;
  }
}

// The replay routes only when asked, so the plain floor's router is the one it always had.
@Module({ controllers: process.env.FLOOR_REPLAY_FILE ? [FloorController, ReplayController] : [FloorController] })
class FloorModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(FloorModule, new FastifyAdapter(), { logger: ['error'] });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
  await app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
}

void main();
