import { regionPath } from '../domain/regions';

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
