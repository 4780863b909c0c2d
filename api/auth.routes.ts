import { Router } from 'express';
import { listActiveLoginLocks } from '../read-model/login-locks.repository';
import { requireAccess } from './access-control';
import { currentUser, login, loginSchema, logout, requireUser, tokenOf } from './auth';
import { HttpError } from './http-errors';
import { accountKey, type LoginGuard } from './login-guard';
import { auditLogin, auditLoginUnlock } from './login-audit';

export function authRoutes(options: { sessionTtlHours: number; loginGuard: LoginGuard }): Router {
  const router = Router();

  router.post('/auth/login', async (req, res) => {
    const { username, password } = loginSchema.parse(req.body);
    try {
      const session = await login({ username, password, ip: req.ip, ttlHours: options.sessionTtlHours, guard: options.loginGuard });
      await auditLogin(req.ip, username, session.user, 'ok');
      res.json({ token: session.token, expiresAt: session.expiresAt.toISOString(), user: session.user });
    } catch (error) {
      // Attempts refused by the guard are not audited one by one (a flood would flood the
      // trail); the lock they lead to is.
      if (error instanceof HttpError && error.status === 401) await auditLogin(req.ip, username, undefined, 'refused');
      throw error;
    }
  });

  router.post('/auth/logout', requireUser, async (req, res) => {
    const token = tokenOf(req);
    if (token) await logout(token);
    res.status(204).end();
  });

  router.get('/me', requireUser, (req, res) => {
    res.json(currentUser(req));
  });

  // Accounts locked now after repeated failed logins, for the administrator.
  router.get('/admin/login-locks', requireUser, requireAccess('logins.locks'), async (_req, res) => {
    const locks = await listActiveLoginLocks(new Date());
    res.json({
      items: locks.map((lock) => ({
        account: lock._id,
        lockedAt: lock.lockedAt.toISOString(),
        lockedUntil: lock.lockedUntil.toISOString(),
        failures: lock.failures,
        lastAddress: lock.lastAddress ?? null,
      })),
    });
  });

  router.delete('/admin/login-locks/:account', requireUser, requireAccess('logins.locks'), async (req, res) => {
    const account = accountKey(req.params.account as string);
    if (!(await options.loginGuard.unlock(account))) throw new HttpError(404, `没有该账户的登录锁定：${account}`);
    const admin = currentUser(req);
    await auditLoginUnlock(account, { userId: admin.userId, name: admin.name, role: admin.role, regionCode: admin.regionCode }, req.ip);
    res.status(204).end();
  });

  return router;
}
