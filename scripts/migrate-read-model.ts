// `npm run read-model:migrate`: the one-off read-model migration (read-model/read-model-migration.ts).
import { migrateReadModel } from '../read-model/read-model-migration';

export { migrateReadModel };

async function main(): Promise<void> {
  const { loadConfig } = await import('../config');
  const { connectMongo } = await import('../config/mongo');
  const mongoose = (await import('mongoose')).default;
  const config = loadConfig({ SESSION_SECRET: 'not-used-by-this-command', ...process.env });
  await connectMongo(config);
  try {
    await migrateReadModel();
  } finally {
    await mongoose.disconnect();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 2;
  });
}
