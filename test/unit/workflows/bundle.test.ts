import { bundleWorkflowCode } from '@temporalio/worker';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;

describe('workflow bundle', () => {
  test('when the workflows are bundled for the sandbox, then webpack finds no forbidden import and the case workflow is in the bundle', async () => {
    // bundleWorkflowCode fails on any Node built-in other than assert/url/util and on
    // @temporalio/{activity,client,worker,testing}: the guard against non-deterministic imports.
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../../workflows'), logger: quiet });
    expect(code).toContain('caseProcessingWorkflow');
    expect(code).not.toMatch(/require\("(fs|path|crypto|mongoose|puppeteer-core|handlebars)"\)/);
  }, 120_000);
});
