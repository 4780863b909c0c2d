// Users and their login sessions.
import { SessionModel, UserModel } from '../models/user.model';

export interface StoredUser {
  _id: string;
  name: string;
  role: string;
  regionCode: string;
  unitId?: string | null;
  passwordHash: string;
  active?: boolean | null;
}

export interface NewSession {
  /** The SHA-256 of the bearer token: a database leak holds no usable tokens. */
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  ip: string | undefined;
}

export async function findUserById(userId: string): Promise<StoredUser | null> {
  return UserModel.findById(userId).lean();
}

export async function createSession(session: NewSession): Promise<void> {
  await SessionModel.create({ _id: session.id, userId: session.userId, createdAt: session.createdAt, expiresAt: session.expiresAt, ip: session.ip });
}

export async function findSession(sessionId: string): Promise<{ userId: string; expiresAt: Date } | null> {
  return SessionModel.findById(sessionId).lean();
}

export async function deleteSession(sessionId: string): Promise<void> {
  await SessionModel.deleteOne({ _id: sessionId });
}

/** Of `userIds`, those that exist. */
export async function findExistingUserIds(userIds: readonly string[]): Promise<Set<string>> {
  const users = await UserModel.find({ _id: { $in: userIds } }).select({ _id: 1 }).lean();
  return new Set(users.map((user) => user._id));
}

/** Inserts new users (all of them, or fails on a duplicate after inserting the rest). */
export async function insertUsers(users: (Omit<StoredUser, 'active'> & { unitId?: string })[]): Promise<void> {
  await UserModel.insertMany(users, { ordered: false });
}
