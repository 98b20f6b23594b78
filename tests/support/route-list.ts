import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  method: string;
  url: string;
}

/**
 * Every route the app serves, read from fastify's own route tree (printRoutes), so that a route
 * added later shows up here without anyone listing it. Each one is checked with hasRoute, so a
 * change of printRoutes' format fails loudly instead of listing nothing.
 */
export function listRoutes(app: FastifyInstance): RouteEntry[] {
  const stack: Array<{ depth: number; path: string }> = [];
  const routes: RouteEntry[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([\s│├└─]*)(\S+)(?: \(([^)]+)\))?$/u.exec(line);
    if (!match) continue;
    const depth = match[1]!.length;
    while (stack.length && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const path = (stack[stack.length - 1]?.path ?? '') + match[2]!;
    stack.push({ depth, path });
    for (const method of match[3]?.split(', ') ?? []) {
      if (!app.hasRoute({ method: method as 'GET', url: path })) {
        throw new Error(`listRoutes misread the route tree: no ${method} ${path}`);
      }
      routes.push({ method, url: path });
    }
  }
  if (routes.length === 0) throw new Error('listRoutes found no routes');
  return routes;
}
