import mongoose from 'mongoose';
import type { Config } from './index';

/**
 * Connects the default Mongoose connection. Indexes are built here, once, rather than by
 * autoIndex on first use: FerretDB rejects TTL, text and partial indexes, so every schema
 * keeps to plain and unique indexes and a failure shows at start, not mid-request.
 */
export async function connectMongo(config: Pick<Config, 'MONGODB_URI' | 'MONGODB_DB'>): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  await mongoose.connect(config.MONGODB_URI, { dbName: config.MONGODB_DB, autoIndex: false, serverSelectionTimeoutMS: 10_000 });
  await Promise.all(Object.values(mongoose.models).map((model) => model.createIndexes()));
  return mongoose;
}
