import type { RegionArea } from '../domain/list-keys';
import { findRegion, isWithinRegion } from '../domain/regions';
import { rolesSeeingComplainant } from '../domain/roles';
import type { AuthenticatedUser } from './auth';
import { HttpError } from './http-errors';

/** The user's own region subtree, as the list keys name it. */
export function userArea(user: Pick<AuthenticatedUser, 'regionCode'>): RegionArea {
  const region = findRegion(user.regionCode);
  if (!region) throw new HttpError(403, `账号的辖区代码无效：${user.regionCode}`);
  return { level: region.level, code: region.code };
}

/** The region a list is narrowed to: `regionCode` when it lies within the user's, else the user's own. */
export function narrowedArea(user: AuthenticatedUser, regionCode: string | undefined): RegionArea {
  if (!regionCode) return userArea(user);
  if (!isWithinRegion(regionCode, user.regionCode)) throw new HttpError(403, `区域 ${regionCode} 不在您的辖区内`);
  return userArea({ regionCode });
}

export function canSeeCase(user: AuthenticatedUser, caseRegionCode: string): boolean {
  return isWithinRegion(caseRegionCode, user.regionCode);
}

/** The complainant's identity is for the registering team and its supervisors only. */
export function canSeeComplainant(user: AuthenticatedUser, caseCountyCode: string): boolean {
  return rolesSeeingComplainant.includes(user.role) && (isWithinRegion(caseCountyCode, user.regionCode) || user.role === 'admin');
}
