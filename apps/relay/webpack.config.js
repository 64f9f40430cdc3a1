'use strict';
// The relay's production bundle: its node_modules included and minified, so the process keeps one
// compact source and far fewer module wrappers than it would loading node_modules file by file
// (docs/performance.md, "Memory"). Left outside: Node's own modules, ioredis (loaded only when
// REDIS_URL is set), swagger-ui-dist (its assets are files read at run time) and whatever is not
// installed, which Nest and its adapters require only optionally (microservices, websockets, views).
const { isBuiltin } = require('node:module');
const { dirname, join } = require('node:path');

// The minifier webpack itself uses (both come with @nestjs/cli), whatever npm hoists.
const TerserPlugin = require(require.resolve('terser-webpack-plugin', { paths: [dirname(require.resolve('webpack/package.json'))] }));

const ROOT = join(__dirname, '../..');
const KEPT_OUTSIDE = new Set(['ioredis', 'swagger-ui-dist']);

function installed(request) {
  try {
    require.resolve(request, { paths: [ROOT] });
    return true;
  } catch {
    return false;
  }
}

function external({ request }, callback) {
  const pkg = /^(@[^/]+\/[^/]+|[^./][^/]*)/.exec(request ?? '')?.[1];
  // @app/* are the project's libraries (tsconfig paths), bundled like its own sources.
  if (!pkg || request.startsWith('@app/')) return callback();
  if (isBuiltin(request) || KEPT_OUTSIDE.has(pkg) || !installed(request)) return callback(null, `commonjs ${request}`);
  return callback();
}

module.exports = (defaults) => ({
  ...defaults,
  externals: [external],
  // Nest's default ignores some optional modules when absent; here they are external, so a missing one fails at run time exactly as before.
  plugins: defaults.plugins.filter((plugin) => plugin.constructor.name !== 'IgnorePlugin'),
  mode: 'production',
  // Not loaded at run time (Node reads source maps only with --enable-source-maps); maps a minified stack trace back to the sources.
  devtool: 'nosources-source-map',
  optimization: {
    nodeEnv: false,
    minimize: true,
    minimizer: [
      new TerserPlugin({
        extractComments: false,
        // Class and function names stay: Nest's tokens, Swagger's schema names and stack traces use them. ASCII output keeps the source one byte per character in the heap.
        terserOptions: { keep_classnames: true, keep_fnames: true, format: { ascii_only: true, comments: false } },
      }),
    ],
  },
});
