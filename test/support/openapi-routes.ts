import type { Express } from 'express';

export interface RouteEntry {
  method: string;
  /** In OpenAPI form: /api/cases/{caseId}. */
  path: string;
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

/**
 * Every method and path the Express app routes, mounted routers included, walking Express 5's
 * router stack (a layer keeps the path it was registered with in `rawPath`).
 */
export function listRoutes(app: Express): RouteEntry[] {
  const routes: RouteEntry[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === 'string') {
        const path = toOpenApiPath(prefix + layer.route.path);
        for (const method of Object.keys(layer.route.methods)) routes.push({ method: method === '_all' ? 'all' : method, path });
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '');
  return routes;
}

function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Routes under /api that the document does not describe, as "METHOD /path". */
export function undocumentedApiRoutes(app: Express, document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return listRoutes(app)
    .filter((route) => route.path.startsWith('/api/'))
    .filter((route) => !document.paths[route.path]?.[route.method])
    .map((route) => `${route.method.toUpperCase()} ${route.path}`);
}
