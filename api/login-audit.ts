// Every login attempt is audited the same way, whether it came through the JSON API or the
// login page: a refused one names the username tried, so guessing shows up in the trail.
import { appendAudit } from '../read-model/audit-chain';

export async function auditLogin(
  ip: string | undefined,
  username: string,
  user: { name: string; role: string; regionCode: string } | undefined,
  result: 'ok' | 'refused',
): Promise<void> {
  await appendAudit({
    key: `login:${username}:${Date.now()}:${Math.random().toString(36).slice(2)}`,
    at: new Date(),
    actor: { userId: username, name: user?.name ?? username, role: user?.role ?? 'unknown', regionCode: user?.regionCode ?? '' },
    ip,
    action: 'login',
    result,
  });
}

/** A lock set after repeated failures: who was locked, from which address, until when. */
export async function auditLoginLock(account: string, address: string, failures: number, lockedUntil: Date): Promise<void> {
  await appendAudit({
    key: `login-lock:${account}:${lockedUntil.getTime()}`,
    at: new Date(),
    actor: { userId: account, name: account, role: 'unknown', regionCode: '' },
    ip: address,
    action: 'login_lock',
    result: 'ok',
    detail: `连续登录失败 ${failures} 次，账户锁定至 ${lockedUntil.toISOString()}`,
  });
}

/** An administrator lifted a lock before it expired. */
export async function auditLoginUnlock(account: string, admin: { userId: string; name: string; role: string; regionCode: string }, ip: string | undefined): Promise<void> {
  await appendAudit({
    key: `login-unlock:${account}:${Date.now()}:${Math.random().toString(36).slice(2)}`,
    at: new Date(),
    actor: admin,
    ip,
    action: 'login_unlock',
    result: 'ok',
    detail: `管理员解除账户 ${account} 的登录锁定`,
  });
}
