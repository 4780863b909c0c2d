import { regionPath } from '../domain/regions';
import type { RegionArea } from '../domain/list-keys';

export interface RegionScope {
  province?: string;
  city?: string;
  county?: string;
  township?: string;
}

/** The region code at each level above and at `code`: what jurisdiction filters match on. */
export function regionScope(code: string): RegionScope {
  const scope: RegionScope = {};
  for (const region of regionPath(code) ?? []) scope[region.level] = region.code;
  return scope;
}

/**
 * The equality filter that limits a query to `area`'s subtree. Records carry the code of each
 * level in `scope` (see regionScope), so the filter is one indexed equality match on either database.
 */
export function regionScopeFilter(area: RegionArea, field = 'scope'): Record<string, string> {
  return { [`${field}.${area.level}`]: area.code };
}
