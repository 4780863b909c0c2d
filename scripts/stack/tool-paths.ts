import fs from 'node:fs';
import path from 'node:path';

/** The checkout's root, found from here whether running from sources or from dist/. */
function findProjectRoot(start: string): string {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'scripts', 'setup.sh'))) return dir;
  }
  return process.cwd();
}

/** Where scripts/setup.sh installs the servers; each path may be overridden by environment. */
const projectRoot = findProjectRoot(__dirname);

export const toolPaths = {
  projectRoot,
  temporalCli: process.env.TEMPORAL_CLI_PATH ?? path.join(projectRoot, '.tools/venv/bin/temporal'),
  temporalTestServer:
    process.env.TEMPORAL_TEST_SERVER_PATH ?? path.join(projectRoot, '.tools/venv/bin/temporal-test-server'),
  ferretdbLauncher: process.env.FERRETDB_LAUNCHER_PATH ?? path.join(projectRoot, '.tools/bin/ferretdb-launcher'),
  postgresBinDir: process.env.POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin',
  workflowBundle: path.join(projectRoot, '.temporal/workflow-bundle.js'),
} as const;
