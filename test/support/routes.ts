import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The paths the app's Fastify router serves for `method`, read from its route tree. */
export function routerPaths(app: NestFastifyApplication, method: 'GET' | 'POST'): string[] {
  const tree = app.getHttpAdapter().getInstance().printRoutes({ method, commonPrefix: false });
  const paths: string[] = [];
  const ancestors: string[] = [];
  for (const line of tree.split('\n')) {
    // "│   └── /tile (POST)": four characters of indentation per level, then a segment, then the methods it answers.
    const node = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!node) continue;
    ancestors.length = node[1].length / 4;
    ancestors.push(node[2]);
    if (node[3]?.split(', ').includes(method)) paths.push(ancestors.join(''));
  }
  return paths;
}
