import { Router } from 'express';
import { actorOf, currentUser, requireUser } from './auth';
import { assertCaseVisible, getCaseDetail, listCases, listTasks, presentCase, supervisorBoard } from './case-queries';
import { performCaseAction, registerIntake, type CaseCommandDeps } from './case-commands';
import { caseCommandSchema, caseListQuerySchema, intakeSchema, taskListQuerySchema, toIntakeInput } from './cases.schemas';
import { HttpError } from './http-errors';

/** The JSON API of cases and tasks: parse, call, respond. */
export function caseRoutes(deps: CaseCommandDeps): Router {
  const router = Router();
  router.use(requireUser);

  router.post('/intakes', async (req, res) => {
    const intake = toIntakeInput(intakeSchema.parse(req.body), new Date());
    const outcome = await registerIntake(deps, intake, actorOf(req));
    res.status(outcome.created ? 201 : 200).json(outcome);
  });

  router.get('/cases', async (req, res) => {
    res.json(await listCases(currentUser(req), caseListQuerySchema.parse(req.query)));
  });

  router.get('/cases/:caseId', async (req, res) => {
    res.json(await getCaseDetail(currentUser(req), req.params.caseId));
  });

  router.post('/cases/:caseId/actions', async (req, res) => {
    const user = currentUser(req);
    await assertCaseVisible(user, req.params.caseId);
    const command = caseCommandSchema.parse(req.body);
    const view = await performCaseAction(deps, req.params.caseId, command, actorOf(req));
    res.json(presentCase(user, view));
  });

  router.get('/tasks', async (req, res) => {
    res.json(await listTasks(currentUser(req), taskListQuerySchema.parse(req.query)));
  });

  router.get('/board', async (req, res) => {
    const user = currentUser(req);
    if (user.role !== 'supervisor' && user.role !== 'admin') throw new HttpError(403, '督办看板仅限负责人查看');
    res.json(await supervisorBoard(user, new Date()));
  });

  return router;
}
