import { bundleWorkflowsOnce } from './workflow-bundle';

export default async function bundleSetup(): Promise<void> {
  process.env.WORKFLOW_BUNDLE_PATH = await bundleWorkflowsOnce();
}
