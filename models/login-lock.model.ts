import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * An account locked after too many failed logins, until `lockedUntil`. `_id` is the account
 * name as tried (lower case), whether or not such a user exists, so a lock says nothing about
 * which accounts are real. Expired locks are left in place (FerretDB has no TTL index) and are
 * simply ignored; a new lock overwrites the old one.
 */
const loginLockSchema = new Schema(
  {
    _id: { type: String, required: true },
    lockedAt: { type: Date, required: true },
    lockedUntil: { type: Date, required: true },
    /** Failed attempts counted when the lock was set. */
    failures: { type: Number, required: true },
    /** Client address of the attempt that set the lock. */
    lastAddress: String,
  },
  { collection: 'login_locks', versionKey: false },
);

export type LoginLockRecord = InferSchemaType<typeof loginLockSchema>;
export const LoginLockModel = mongoose.model('LoginLock', loginLockSchema);
