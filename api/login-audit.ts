// Every login attempt is audited the same way, whether it came through the JSON API or the
// login page: a refused one names the username tried, so guessing shows up in the trail.
import { appendAudit } from '../activities/audit-trail';

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
