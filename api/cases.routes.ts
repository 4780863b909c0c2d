import { Router } from 'express';
import { requireAccess } from './access-control';
import { actorOf, currentUser, requireUser } from './auth';
import { assertCaseVisible, getCaseDetail, listCases, listTasks, presentCase, supervisorBoard } from './case-queries';
import { performCaseAction, registerIntake, type CaseCommandDeps } from './case-commands';
import { caseCommandSchema, caseListQuerySchema, intakeSchema, taskListQuerySchema, toIntakeInput } from './cases.schemas';

/** The JSON API of cases and tasks: parse, call, respond. */
export function caseRoutes(deps: CaseCommandDeps): Router {
  const router = Router();
  router.use(requireUser);

  router.post('/intakes', requireAccess('intake.register'), async (req, res) => {
    const intake = toIntakeInput(intakeSchema.parse(req.body), new Date());
    const outcome = await registerIntake(deps, intake, actorOf(req));
    res.status(outcome.created ? 201 : 200).json(outcome);
  });

  router.get('/cases', requireAccess('cases.list'), async (req, res) => {
    res.json(await listCases(currentUser(req), caseListQuerySchema.parse(req.query)));
  });

  router.get('/cases/:caseId', requireAccess('cases.read'), async (req, res) => {
    res.json(await getCaseDetail(currentUser(req), req.params.caseId));
  });

  router.post('/cases/:caseId/actions', requireAccess('cases.act'), async (req, res) => {
    const user = currentUser(req);
    await assertCaseVisible(user, req.params.caseId);
    const command = caseCommandSchema.parse(req.body);
    const view = await performCaseAction(deps, req.params.caseId, command, actorOf(req));
    res.json(presentCase(user, view));
  });

  router.get('/tasks', requireAccess('tasks.list'), async (req, res) => {
    res.json(await listTasks(currentUser(req), taskListQuerySchema.parse(req.query)));
  });

  router.get('/board', requireAccess('board.read'), async (req, res) => {
    res.json(await supervisorBoard(currentUser(req), new Date()));
  });

  return router;
}
