import { Router } from 'express';
import rateLimit from 'express-rate-limit';
import { currentUser, login, loginSchema, logout, requireUser, tokenOf } from './auth';
import { HttpError } from './http-errors';
import { auditLogin } from './login-audit';

export function authRoutes(options: { sessionTtlHours: number; loginLimitPerMinute?: number }): Router {
  const router = Router();
  // Per client address: slows password guessing without locking a user out by name.
  const loginLimiter = rateLimit({
    windowMs: 60_000,
    limit: options.loginLimitPerMinute ?? 10,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, '登录尝试过于频繁，请一分钟后再试')),
  });

  router.post('/auth/login', loginLimiter, async (req, res) => {
    const { username, password } = loginSchema.parse(req.body);
    try {
      const session = await login(username, password, req.ip, options.sessionTtlHours);
      await auditLogin(req.ip, username, session.user, 'ok');
      res.json({ token: session.token, expiresAt: session.expiresAt.toISOString(), user: session.user });
    } catch (error) {
      await auditLogin(req.ip, username, undefined, 'refused');
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

  return router;
}
