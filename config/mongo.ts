import mongoose from 'mongoose';
import type { Config } from './index';

/**
 * Connects the default Mongoose connection. Indexes are built here, once, rather than by
 * autoIndex on first use: FerretDB rejects TTL, text and partial indexes, so every schema
 * keeps to plain and unique indexes and a failure shows at start, not mid-request.
 */
export async function connectMongo(config: Pick<Config, 'MONGODB_URI' | 'MONGODB_DB'>): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  mongoose.set('bufferTimeoutMS', 4_000);
  // Short waits when the database is gone: a request fails (503) within about 4 s instead of
  // hanging for the driver's default 30 s; the worker's activities are retried by Temporal.
  await mongoose.connect(config.MONGODB_URI, { dbName: config.MONGODB_DB, autoIndex: false, serverSelectionTimeoutMS: 4_000 });
  await Promise.all(Object.values(mongoose.models).map((model) => model.createIndexes()));
  return mongoose;
}
