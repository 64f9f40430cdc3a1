import { Logger, PinoLogger } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { REDACT_PATHS } from './logging';
import { RequestScope } from './request-logging';

/** A pino logger that keeps its lines, parsed. */
function recordingLogger(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream);
  return { logger, lines };
}

/** Runs `body` inside a request scope, as the onRequest hook does. */
function inRequest<T>(scope: RequestScope, body: () => T): T {
  return storage.run(scope as unknown as Store, body);
}

describe('RequestScope (the request context nestjs-pino reads)', () => {
  const req = { id: 'rid-7', method: 'POST', url: '/observe/observables' };

  it("gives lines written during the request the request's id and the fields the guard assigned", async () => {
    const { logger, lines } = recordingLogger('info');
    const scope = new RequestScope(logger, { req: { ...req } });
    // PinoLogger keeps the first root logger of the process for lines outside requests; inside
    // one it must use the scope, which is what this test is about.
    const pinoLogger = new PinoLogger({ pinoHttp: { logger } });
    const nestLogger = new Logger(pinoLogger, {});
    await inRequest(scope, async () => {
      pinoLogger.assign({ tenant: 'abc123' });
      await Promise.resolve();
      nestLogger.warn('Defender said no', 'ObserveService');
      nestLogger.error({ errorId: 'e1', err: new Error('boom') }, 'Unhandled error e1', 'EnvelopeFilter');
    });
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, req, tenant: 'abc123', context: 'ObserveService', msg: 'Defender said no' }),
      expect.objectContaining({ level: 50, req, tenant: 'abc123', context: 'EnvelopeFilter', errorId: 'e1', err: expect.objectContaining({ message: 'boom' }), msg: 'Unhandled error e1' }),
    ]);
    // The request line reads the same fields.
    expect(scope.bindings).toEqual({ req, tenant: 'abc123' });
  });

  it('keeps fields assigned after a line was written, and writes nothing below the level', () => {
    const { logger, lines } = recordingLogger('info');
    const scope = new RequestScope(logger, { req: { ...req } });
    const pinoLogger = new PinoLogger({ pinoHttp: { logger } });
    inRequest(scope, () => {
      pinoLogger.debug('not written at info');
      pinoLogger.info('before');
      pinoLogger.assign({ tenant: 'abc123' });
      pinoLogger.info('after');
    });
    expect(lines.map((l) => [l.msg, l.tenant])).toEqual([
      ['before', undefined],
      ['after', 'abc123'],
    ]);
  });

  it('redacts credentials in lines written during the request', () => {
    const { logger, lines } = recordingLogger('info');
    const scope = new RequestScope(logger, { req: { ...req } });
    const pinoLogger = new PinoLogger({ pinoHttp: { logger } });
    inRequest(scope, () => pinoLogger.info({ form: { client_secret: 'hunter2' }, headers: { authorization: 'Bearer x' } }, 'token request'));
    expect(JSON.stringify(lines)).not.toMatch(/hunter2|Bearer x/);
    expect(lines[0]).toMatchObject({ form: { client_secret: '[redacted]' }, headers: { authorization: '[redacted]' } });
  });
});
