import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const userSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    /** Root of the user's jurisdiction subtree (GB/T 2260 code). */
    regionCode: { type: String, required: true },
    /** Police unit of a police liaison. */
    unitId: String,
    /** bcrypt hash; the password itself is never stored or logged. */
    passwordHash: { type: String, required: true },
    active: { type: Boolean, default: true },
  },
  { collection: 'users', timestamps: true },
);

export type UserRecord = InferSchemaType<typeof userSchema>;
export const UserModel = mongoose.model('User', userSchema);

/** A login session; `_id` is the SHA-256 of the bearer token, so a database leak holds no usable tokens. */
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    ip: String,
  },
  { collection: 'sessions' },
);
sessionSchema.index({ expiresAt: 1 });
sessionSchema.index({ userId: 1 });

export const SessionModel = mongoose.model('Session', sessionSchema);
