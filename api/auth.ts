import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Actor, Role } from '../domain/roles';
import { createSession, deleteSession, findSession, findUserById } from '../read-model/users.repository';
import { HttpError } from './http-errors';
import { withoutControlCharacters, type LoginGuard } from './login-guard';

export const sessionCookie = 'envcase_session';

export interface AuthenticatedUser {
  userId: string;
  name: string;
  role: Role;
  regionCode: string;
  unitId?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthenticatedUser;
  }
}

export const loginSchema = z.object({
  username: z.string().trim().min(1, '请输入用户名'),
  password: z.string().min(1, '请输入密码'),
});

const bcryptRounds = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, bcryptRounds);
}

function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A bcrypt hash of nothing anyone knows, compared against when the user is unknown or
 * inactive, so that such a login costs the same time as a wrong password and the response
 * time does not tell which usernames exist.
 */
let dummyHash: Promise<string> | undefined;
function passwordHashToCompare(user: { passwordHash: string; active?: boolean | null } | null): Promise<string> {
  if (user && user.active !== false) return Promise.resolve(user.passwordHash);
  dummyHash ??= bcrypt.hash(randomBytes(24).toString('base64'), bcryptRounds);
  return dummyHash;
}

/** User ids are plain names; anything else (control characters, very long input) is never looked up. */
function isPlausibleUsername(username: string): boolean {
  return username.length <= 64 && withoutControlCharacters(username) === username;
}

export interface LoginInput {
  username: string;
  password: string;
  ip: string | undefined;
  ttlHours: number;
  guard: LoginGuard;
}

/**
 * Checks the credentials and opens a session, under the shared login guard (failed attempts
 * per account and address, backoff, lock). The same message and the same bcrypt work for an
 * unknown user, an inactive one and a wrong password.
 */
export async function login(input: LoginInput): Promise<{ token: string; user: AuthenticatedUser; expiresAt: Date }> {
  const { username, password, ip, ttlHours } = input;
  return input.guard.attempt({ username, address: ip }, async () => {
    const user = isPlausibleUsername(username) ? await findUserById(username) : null;
    const matches = await bcrypt.compare(password, await passwordHashToCompare(user));
    if (!user || user.active === false || !matches) throw new HttpError(401, '用户名或密码错误');
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
    await createSession({ id: tokenId(token), userId: user._id, createdAt: now, expiresAt, ip });
    return { token, user: toAuthenticated(user), expiresAt };
  });
}

export async function logout(token: string): Promise<void> {
  await deleteSession(tokenId(token));
}

export function tokenOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const cookies = (req as Request & { signedCookies?: Record<string, string> }).signedCookies;
  return cookies?.[sessionCookie] || undefined;
}

/** Resolves the session of a request; sets req.user or leaves it unset. */
export const resolveSession: RequestHandler = async (req: Request, _res: Response, next: NextFunction) => {
  const token = tokenOf(req);
  if (!token) return next();
  const session = await findSession(tokenId(token));
  if (!session || session.expiresAt.getTime() <= Date.now()) return next();
  const user = await findUserById(session.userId);
  if (user && user.active !== false) req.user = toAuthenticated(user);
  next();
};

export const requireUser: RequestHandler = (req, _res, next) => {
  if (!req.user) return next(new HttpError(401, '请先登录'));
  next();
};

export function currentUser(req: Request): AuthenticatedUser {
  if (!req.user) throw new HttpError(401, '请先登录');
  return req.user;
}

export function actorOf(req: Request): Actor {
  const user = currentUser(req);
  return { userId: user.userId, name: user.name, role: user.role, regionCode: user.regionCode, unitId: user.unitId, ip: req.ip };
}

function toAuthenticated(user: { _id: string; name: string; role: string; regionCode: string; unitId?: string | null }): AuthenticatedUser {
  return {
    userId: user._id,
    name: user.name,
    role: user.role as Role,
    regionCode: user.regionCode,
    ...(user.unitId ? { unitId: user.unitId } : {}),
  };
}
