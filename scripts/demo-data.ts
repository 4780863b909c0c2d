import { hashPassword } from '../api/auth';
import type { Role } from '../domain/roles';
import { findExistingUserIds, insertUsers } from '../read-model/users.repository';

/** Demo password of every demo account; printed by the `up` command. Never used in production. */
export const demoPassword = 'envcase-demo';

export interface DemoUser {
  username: string;
  name: string;
  role: Role;
  regionCode: string;
  unitId?: string;
}

/** One user per role of DESIGN.md §1 in 漳州市芗城区, plus users of other levels and regions. */
export const demoUsers: readonly DemoUser[] = [
  { username: 'grid', name: '林网格', role: 'grid_member', regionCode: '350602001' },
  { username: 'locality', name: '陈经办', role: 'locality_handler', regionCode: '350602001' },
  { username: 'officer', name: '王执法', role: 'officer', regionCode: '350602' },
  { username: 'supervisor', name: '张科长', role: 'supervisor', regionCode: '350602' },
  { username: 'city.supervisor', name: '刘局长', role: 'supervisor', regionCode: '350600' },
  { username: 'province.supervisor', name: '黄处长', role: 'supervisor', regionCode: '350000' },
  { username: 'police', name: '郑警官', role: 'police_liaison', regionCode: '350602', unitId: 'psb-350602' },
  { username: 'admin', name: '系统管理员', role: 'admin', regionCode: '350000' },
  { username: 'officer.tongan', name: '李执法', role: 'officer', regionCode: '350212' },
  { username: 'locality.tongan', name: '吴经办', role: 'locality_handler', regionCode: '350212101' },
  { username: 'police.tongan', name: '何警官', role: 'police_liaison', regionCode: '350212', unitId: 'psb-350212' },
];

/** Creates the demo users that do not exist yet; existing accounts (and their passwords) are kept. */
export async function seedDemoUsers(password = demoPassword): Promise<number> {
  const existing = await findExistingUserIds(demoUsers.map((user) => user.username));
  const missing = demoUsers.filter((user) => !existing.has(user.username));
  if (missing.length === 0) return 0;
  const passwordHash = await hashPassword(password);
  await insertUsers(missing.map((user) => ({ _id: user.username, name: user.name, role: user.role, regionCode: user.regionCode, unitId: user.unitId, passwordHash })));
  return missing.length;
}
