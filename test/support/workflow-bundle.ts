import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { toolPaths } from '../../scripts/stack/tool-paths';

/**
 * Bundles the workflow code once per Jest run (webpack takes seconds) and returns its path;
 * tests pass it as `workflowBundle: { codePath }`. Written via rename so that two projects
 * bundling at once never leave a half-written file.
 */
export async function bundleWorkflowsOnce(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never,
  });
  fs.mkdirSync(path.dirname(toolPaths.workflowBundle), { recursive: true });
  const scratch = `${toolPaths.workflowBundle}.${process.pid}.tmp`;
  fs.writeFileSync(scratch, code);
  fs.renameSync(scratch, toolPaths.workflowBundle);
  return toolPaths.workflowBundle;
}
