// Accounts locked after repeated failed logins (see models/login-lock.model.ts).
import { isDuplicateKey } from '../models/duplicate-key';
import { LoginLockModel, type LoginLockRecord } from '../models/login-lock.model';

export type LoginLock = LoginLockRecord & { _id: string };

export async function findLoginLock(account: string): Promise<LoginLock | null> {
  return LoginLockModel.findById(account).lean();
}

/** Sets or overwrites the lock of `account`. */
export async function saveLoginLock(account: string, lock: { lockedAt: Date; lockedUntil: Date; failures: number; lastAddress: string }): Promise<void> {
  const fields = { lockedAt: lock.lockedAt, lockedUntil: lock.lockedUntil, failures: lock.failures, lastAddress: lock.lastAddress };
  try {
    await LoginLockModel.updateOne({ _id: account }, { $set: fields }, { upsert: true });
  } catch (error) {
    // Two processes locking the same account at once: the loser's upsert finds the row.
    if (!isDuplicateKey(error)) throw error;
    await LoginLockModel.updateOne({ _id: account }, { $set: fields });
  }
}

/** Removes the lock of `account`; false if there was none. */
export async function deleteLoginLock(account: string): Promise<boolean> {
  const { deletedCount } = await LoginLockModel.deleteOne({ _id: account });
  return deletedCount > 0;
}

/** Locks still in force at `now`, newest first, at most `limit`. */
export async function listActiveLoginLocks(now: Date, limit = 500): Promise<LoginLock[]> {
  return LoginLockModel.find({ lockedUntil: { $gt: now } }).sort({ lockedAt: -1 }).limit(limit).lean();
}
