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

/** Used by main.ts and every e2e test, so tests run the production globals; configuration comes from `env` alone. */
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

// XDR and curl users send all sorts of Content-Type; an empty body is undefined, which list endpoints read as `[]`.
function parseAnyContentTypeAsJson(adapter: FastifyAdapter, bodyLimit: number): void {
  const fastify = adapter.getInstance();
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

// Answers in flight close their keep-alive connection, so shutdown need not wait for idle clients.
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
  // Not persisted: the pasted JWT (and its client secret) would stay in the browser's localStorage.
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), { swaggerOptions: { persistAuthorization: false } });
}
