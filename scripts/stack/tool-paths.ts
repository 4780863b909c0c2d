import path from 'node:path';

/** Where scripts/setup.sh installs the servers; each path may be overridden by environment. */
const projectRoot = path.resolve(__dirname, '..', '..');

export const toolPaths = {
  projectRoot,
  temporalCli: process.env.TEMPORAL_CLI_PATH ?? path.join(projectRoot, '.tools/venv/bin/temporal'),
  temporalTestServer:
    process.env.TEMPORAL_TEST_SERVER_PATH ?? path.join(projectRoot, '.tools/venv/bin/temporal-test-server'),
  ferretdbLauncher: process.env.FERRETDB_LAUNCHER_PATH ?? path.join(projectRoot, '.tools/bin/ferretdb-launcher'),
  workflowBundle: path.join(projectRoot, '.temporal/workflow-bundle.js'),
} as const;
