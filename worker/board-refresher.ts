import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { boardRefresherWorkflow } from '../workflows/board-refresher.workflow';
import { boardRefresherWorkflowId, type BoardRefresherInput } from '../workflows/board-refresher-messages';

/** Starts the board refresher unless it runs; returns which. */
export async function ensureBoardRefresher(client: Client, options: { taskQueue: string } & BoardRefresherInput): Promise<'running' | 'started'> {
  const { taskQueue, ...input } = options;
  try {
    await client.workflow.start<typeof boardRefresherWorkflow>('boardRefresherWorkflow', { workflowId: boardRefresherWorkflowId(taskQueue), taskQueue, args: [input] });
    return 'started';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'running';
    throw error;
  }
}
