import { configWarnings, Env, loadRelayConfig, RELAY_VERSION, RelayError } from '@app/common';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { isUtf8 } from 'node:buffer';
import { AppModule } from './app.module';
import { addSecurityHeaders, DOCS_PATH, limitConnections, refuseMalformedBearers, transportOptions } from './http-transport';
import { QuietFrameworkLogger, requestId } from './logging';
import { RelayAppOptions } from './relay-app.options';

/**
 * Builds the relay exactly as production runs it; `main.ts` and every e2e test call this, so
 * tests exercise the real globals (guard, filter, body parsing, logging). The configuration is
 * read from `env` alone (main.ts passes process.env), once; a bad value throws a
 * ConfigValidationError naming every bad variable. `options` only replaces what a test must
 * control (the clock); production passes none.
 */
export async function createRelayApp(env: Env, options: RelayAppOptions = {}): Promise<NestFastifyApplication> {
  const config = loadRelayConfig(env);
  const { server } = config;
  const adapter = new FastifyAdapter({ bodyLimit: server.bodyLimit, trustProxy: server.trustProxy, genReqId: requestId, ...transportOptions(server) });
  limitConnections(adapter, server);
  addSecurityHeaders(adapter);
  refuseMalformedBearers(adapter);
  parseAnyContentTypeAsJson(adapter, server.bodyLimit);
  closeConnectionsWhileShuttingDown(adapter);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, { bufferLogs: true, bodyParser: false, abortOnError: false });
  app.useLogger(new QuietFrameworkLogger(app.get(Logger)));
  if (server.docsEnabled) setupSwagger(app);
  // The configuration's non-fatal problems, each once at warn (main.ts logs the start-up summary).
  const logger = new NestLogger('Config');
  for (const warning of configWarnings(config)) logger.warn(warning);
  await app.init();
  return app;
}

/**
 * The body is JSON whatever the Content-Type says (XDR and curl users send all sorts);
 * an empty body is undefined, which list endpoints read as `[]`.
 */
function parseAnyContentTypeAsJson(adapter: FastifyAdapter, bodyLimit: number): void {
  const fastify = adapter.getInstance();
  // Whatever Content-Type the caller sent (even a malformed one Fastify would refuse with 415),
  // the body is read as JSON.
  fastify.addHook('onRequest', (request, _reply, done) => {
    request.headers['content-type'] = 'application/json';
    done();
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const encoding = request.headers['content-encoding'];
    if (encoding && encoding !== 'identity') {
      return done(new RelayError('invalid payload', 'Invalid JSON payload received: compressed request bodies are not accepted'), undefined);
    }
    if (!isUtf8(body as Buffer)) return done(new RelayError('invalid payload', 'Invalid JSON payload received: the body is not UTF-8 text'), undefined);
    let text = (body as Buffer).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new RelayError('invalid payload', 'Invalid JSON payload received: the body is not valid JSON'), undefined);
    }
  });
}

/**
 * Once shutdown begins, answers still in flight close their keep-alive connection, so the
 * server can finish closing as soon as they are sent instead of waiting for idle clients.
 */
function closeConnectionsWhileShuttingDown(adapter: FastifyAdapter): void {
  const fastify = adapter.getInstance();
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}

function setupSwagger(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Defender Relay')
    .setDescription(
      'Cisco XDR / SecureX Threat Response relay module for Microsoft Defender for Endpoint. ' +
        'Authorize with the module JWT (HS256 signed with SECRET_KEY, or an RS256 configuration token).',
    )
    .setVersion(RELAY_VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  // The pasted JWT stays in the page's memory: persisting it would leave it (and the client
  // secret it carries) in the browser's localStorage.
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), { swaggerOptions: { persistAuthorization: false } });
}
