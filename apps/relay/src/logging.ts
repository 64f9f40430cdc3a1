import { serverConfig } from '@app/common';
import type { ConfigType } from '@nestjs/config';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Paths pino must never print: credentials and tokens, wherever they appear. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
  '*.Authorization',
  '*.client_secret',
  '*.clientSecret',
  '*.access_token',
  '*.accessToken',
  '*.secretKey',
  'err.config',
  'err.request',
  'err.response',
];

/** Structured JSON logs; probes stay out of request logs (C-81). */
export function loggingOptions(server: ConfigType<typeof serverConfig>): Params {
  return {
    pinoHttp: {
      level: server.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: requestId,
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    exclude: [{ method: RequestMethod.ALL, path: 'watchdog' }],
    // The tenant hash the guard assigns also lands on the "request completed" line.
    assignResponse: true,
  };
}

/** Keeps a caller's X-Request-Id when it is sane, so logs can be correlated across hops. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
}
