import { type AuthenticatedRequest, envelope, PUBLIC_ROUTE, RelayError, type ServerConfig, wellFormedBearer } from '@app/common';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Headers every response carries, whatever answers it (routes, 404s, errors, Swagger UI). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Swagger UI uses inline styles, never inline scripts, and calls the relay ("Try it out"). */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const DOCS_PATH = 'docs';

/** Handling time is not counted: REQUEST_DEADLINE_MS starts once the body is in, so the two never compete. */
export function transportOptions(server: ServerConfig) {
  return {
    requestTimeout: server.requestTimeoutMs,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    http: {
      headersTimeout: server.headersTimeoutMs,
      // Node enforces both timeouts only when it sweeps (every 30 s by default): a late sweep doubles a slow client's stay.
      connectionsCheckingInterval: Math.min(1000, Math.floor(server.headersTimeoutMs / 4)),
    },
    clientErrorHandler: answerClientError,
  };
}

export function limitConnections(adapter: FastifyAdapter, server: ServerConfig): void {
  adapter.getInstance().server.maxConnections = server.maxConnections;
}

export function addSecurityHeaders(adapter: FastifyAdapter): void {
  const docs = new RegExp(`^/${DOCS_PATH}(?:[/?#.-]|$)`);
  const api = { ...SECURITY_HEADERS, 'content-security-policy': API_CSP };
  const docsPages = { ...SECURITY_HEADERS, 'content-security-policy': DOCS_CSP };
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    reply.headers(docs.test(request.url) ? docsPages : api);
    done();
  });
}

/** What Node refuses before Fastify sees it (408, 431, 400) is answered as JSON with the security headers. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'The request was not received in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'The request headers are too large']
        : [400, 'The request could not be read'];
  const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status], message });
  if (socket.writable) {
    const headers = { ...SECURITY_HEADERS, 'content-security-policy': API_CSP, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join('')}\r\n${body}`);
  }
  socket.destroy();
}

/** No unauthenticated body is ever held: the guard's own answer before it is read, and the connection closed. */
export function refuseMalformedBearers(adapter: FastifyAdapter): void {
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions;
    if (route.url === undefined || request.method === 'GET' || request.method === 'HEAD' || route.config?.[PUBLIC_ROUTE as never]) return done();
    try {
      (request as AuthenticatedRequest).bearer = wellFormedBearer(request.headers.authorization);
    } catch (error) {
      if (!(error instanceof RelayError)) return done(error as Error);
      void reply.code(200).header('connection', 'close').send(envelope(undefined, [error.toBody()]));
      return;
    }
    done();
  });
}
