import { randomUUID } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Client } from '@temporalio/client';
import { listCaseDocuments } from '../../read-model/documents.repository';
import { categories, categoryLabels, channelLabels, type Channel } from '../../domain/case';
import type { CaseState } from '../../domain/case-state';
import { documentKinds } from '../../domain/documents';
import type { Config } from '../../config';
import { assertAccess, availableActions, canAccess, canPerformAction, canRegisterIntake, type AvailableAction } from '../access-control';
import { actorOf, currentUser, login, loginSchema, logout, sessionCookie, tokenOf, type AuthenticatedUser } from '../auth';
import { assertCaseVisible, getCaseDetailAndState, casesDueBy, listTasks, supervisorBoard, type TaskItem } from '../case-queries';
import { performCaseAction, registerIntake } from '../case-commands';
import { caseCommandSchema, intakeSchema, toIntakeInput } from '../cases.schemas';
import { canReadCaseDocument } from '../documents.routes';
import { referralFactsOfCase } from '../referral-access';
import { auditLogin } from '../login-audit';
import { LoginThrottled, processLoginGuard, type LoginGuard } from '../login-guard';
import { HttpError, toProblem } from '../http-errors';
import { AttachmentRejected, photoUpload, storePhotos } from './attachments';
import { createPageCsrf } from './csrf';
import { commandFromForm, formErrors, formFields, intakeKeyOfForm } from './forms';
import {
  actionLabels,
  categoryLabel,
  channelLabel,
  clockStatusLabels,
  dateTime,
  regionName,
  regionOptions,
  occasionLabel,
  taskTitle,
  roleLabel,
  statusLabel,
  taskKindLabels,
  timeLeft,
} from './present';
import { auditPages } from './audit-pages';
import { canUseReferralPages, caseReferralPanel, referralIdOfTask, referralPages, referralStatusLabel } from './referral-pages';
import { createViewEngine, type ViewEngine } from './view-engine';

export interface PageDeps {
  temporal: Client;
  config: Pick<Config, 'SESSION_SECRET' | 'SESSION_TTL_HOURS' | 'TEMPORAL_TASK_QUEUE' | 'NODE_ENV'> & Partial<Pick<Config, 'AUDIT_ANCHOR_KEY'>>;
  views?: ViewEngine;
  /** The login limits, shared with the JSON API's login; default: the one guard of this process. */
  loginGuard?: LoginGuard;
}

/**
 * The server-rendered pages (zh-CN): login, my tasks, a case with the actions my role may take
 * now, intake forms, the supervisor board. Thin like the API routes: every read and command goes
 * through the same query and command functions and the same access-control module; the pages
 * add only forms, CSRF and rendering.
 */
export function pageRoutes(deps: PageDeps): Router {
  const views = deps.views ?? createViewEngine();
  const production = deps.config.NODE_ENV === 'production';
  const csrf = createPageCsrf({ sessionSecret: deps.config.SESSION_SECRET, production });
  const commandDeps = { temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE };
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '1mb' }));

  const render = (req: Request, res: Response, view: string, context: Record<string, unknown>, status = 200): void => {
    const user = req.user;
    res.status(status).type('html').send(
      views.render(view, {
        ...context,
        csrfToken: csrf.token(req, res),
        user: user && { ...user, roleLabel: roleLabel(user.role), regionName: regionName(user.regionCode) },
        nav: user && {
          tasks: canAccess(user.role, 'tasks.list'),
          intake: canAccess(user.role, 'intake.register'),
          board: canAccess(user.role, 'board.read'),
          referrals: canUseReferralPages(user.role),
          audit: canAccess(user.role, 'audit.anchors'),
          current: view,
        },
      }),
    );
  };

  const requirePage: RequestHandler = (req, res, next) => {
    if (req.user) return next();
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  };

  // --- login / logout -------------------------------------------------------------------
  // The same guard as the JSON API's login: failures count once, whichever door they used.
  const loginGuard = deps.loginGuard ?? processLoginGuard();

  router.get('/', (req, res) => res.redirect(303, req.user ? '/tasks' : '/login'));

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, safeNext(req.query.next));
    render(req, res, 'login', { title: '登录', next: safeNext(req.query.next) });
  });

  router.post('/login', csrf.protect, async (req, res) => {
    const next = safeNext(req.body?.next);
    const parsed = loginSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      return render(req, res, 'login', { title: '登录', errors: formErrors(parsed.error), username: req.body?.username, next }, 400);
    }
    const { username, password } = parsed.data;
    try {
      const session = await login({ username, password, ip: req.ip, ttlHours: deps.config.SESSION_TTL_HOURS, guard: loginGuard });
      await auditLogin(req.ip, username, session.user, 'ok');
      res.cookie(sessionCookie, session.token, {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        secure: production,
        path: '/',
        expires: session.expiresAt,
      });
      res.redirect(303, next);
    } catch (error) {
      if (error instanceof LoginThrottled) {
        res.set('Retry-After', String(error.retryAfterSeconds));
        return render(req, res, 'login', { title: '登录', error: error.message, username, next }, 429);
      }
      if (!(error instanceof HttpError) || error.status !== 401) throw error;
      await auditLogin(req.ip, username, undefined, 'refused');
      render(req, res, 'login', { title: '登录', error: '用户名或密码错误', username, next }, 401);
    }
  });

  router.get('/logout', requirePage, (req, res) => render(req, res, 'logout', { title: '退出登录' }));

  router.post('/logout', csrf.protect, async (req, res) => {
    const token = tokenOf(req);
    if (token) await logout(token);
    res.clearCookie(sessionCookie, { path: '/', httpOnly: true, sameSite: 'lax', secure: production });
    res.redirect(303, '/login');
  });

  // --- tasks ----------------------------------------------------------------------------
  const renderTasks = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const user = currentUser(req);
    assertAccess(user, 'tasks.list');
    const now = new Date();
    const [mine, unit] = await Promise.all([
      listTasks(user, { view: 'mine', page: 1, pageSize: 100 }),
      listTasks(user, { view: 'unit', page: 1, pageSize: 100 }),
    ]);
    const mineIds = new Set(mine.items.map((task) => task.taskId));
    const toRow = (task: TaskItem) => {
      // A referral's task opens the referral page (the police liaison has no case page).
      const referralId = referralIdOfTask(task);
      return {
        ...task,
        referral: Boolean(referralId),
        href: referralId ? `/referrals/${encodeURIComponent(referralId)}` : `/cases/${encodeURIComponent(task.caseId)}`,
        title: taskTitle(task.title, taskKindLabels[task.kind]),
        kindLabel: taskKindLabels[task.kind] ?? task.kind,
        regionName: regionName(task.regionCode),
        statusLabel: task.caseStatus ? (referralId ? referralStatusLabel(task.caseStatus) : statusLabel(task.caseStatus)) : '',
        categoryLabel: task.category ? categoryLabel(task.category) : '',
        due: dateTime(task.dueAt),
        left: timeLeft(task.dueAt, now),
        claimable: !referralId && !task.assigneeId && task.role === user.role && canPerformAction(user.role, 'claimTask'),
      };
    };
    const byTimeLeft = (a: { left: { ms: number } }, b: { left: { ms: number } }) => a.left.ms - b.left.ms;
    render(req, res, 'tasks', {
      title: '我的待办',
      mine: mine.items.map(toRow).sort(byTimeLeft),
      unit: unit.items.filter((task) => !mineIds.has(task.taskId)).map(toRow).sort(byTimeLeft),
      unitTotal: unit.total,
      claimed: req.query.claimed === '1',
      ...extra,
    }, status);
  };

  router.get('/tasks', requirePage, async (req, res) => renderTasks(req, res));

  router.post('/tasks/claim', requirePage, csrf.protect, async (req, res) => {
    const user = currentUser(req);
    assertAccess(user, 'cases.act');
    const { caseId, taskId } = formFields(req.body);
    if (!caseId || !taskId) throw new HttpError(400, '缺少案件或任务');
    await assertCaseVisible(user, caseId);
    try {
      await performCaseAction(commandDeps, caseId, { action: 'claimTask', taskId }, actorOf(req));
    } catch (error) {
      const { status, body } = toProblem(error);
      if (status >= 500) throw error;
      return renderTasks(req, res, { error: `认领失败：${body.error}` }, status);
    }
    res.redirect(303, '/tasks?claimed=1');
  });

  // --- one case -------------------------------------------------------------------------
  interface FormState {
    action: string;
    errors: string[];
    values: Record<string, string>;
  }

  const renderCase = async (req: Request, res: Response, caseId: string, form?: FormState, status = 200) => {
    const user = currentUser(req);
    assertAccess(user, 'cases.read');
    const now = new Date();
    const { detail, timeline, state } = await getCaseDetailAndState(user, caseId);
    const actions = canAccess(user.role, 'cases.act') ? availableActions(state, actorOf(req)) : [];
    const clocks = Object.values(detail.clocks)
      .filter((clock) => clock !== undefined)
      .map((clock) => ({
        ...clock,
        statusLabel: clockStatusLabels[clock.status] ?? clock.status,
        started: dateTime(clock.startedAt),
        due: dateTime(clock.dueAt),
        left: clock.status === 'running' ? timeLeft(clock.dueAt, now) : undefined,
        // The basis of a policy period already says 政策默认; the note is for others only.
        isPolicy: clock.source === 'policy' && !clock.basis.includes('政策默认'),
        history: clock.history.map((change) => ({ ...change, atText: dateTime(change.at), fromText: dateTime(change.from), toText: dateTime(change.to) })),
      }));
    const [documents, referrals] = await Promise.all([listCaseDocuments(caseId).catch(() => []), referralFactsOfCase(caseId)]);
    const documentAccess = { caseId, regionCode: detail.location.regionCode, referrals };
    const referralPanel = await caseReferralPanel(state, actorOf(req), form);
    // A refused form that is not drawn any more (the action is no longer open to this user, or
    // it was posted from another page) still says why, above the forms.
    const formShown = form && (actions.some((available) => available.action === form.action) || (form.action === 'proposeReferral' && Boolean(referralPanel?.propose)));
    render(req, res, 'case', {
      title: `案件 ${detail.caseNo}`,
      detail,
      statusLabel: statusLabel(detail.status),
      channelLabel: channelLabel(detail.channel),
      categoryLabel: categoryLabel(detail.category),
      regionName: regionName(detail.location.regionCode),
      received: dateTime(detail.receivedAt),
      assignedUnitName: detail.assignedUnit ? `${regionName(detail.assignedUnit.regionCode)}${detail.assignedUnit.kind === 'township' ? '（属地）' : '执法队'}` : '',
      rectificationDue: detail.rectification ? dateTime(detail.rectification.dueAt) : '',
      clocks,
      openTasks: detail.tasks
        .filter((task) => task.status === 'open')
        .map((task) => ({ ...task, title: taskTitle(task.title, taskKindLabels[task.kind]), kindLabel: taskKindLabels[task.kind] ?? task.kind, roleLabel: roleLabel(task.role), due: dateTime(task.dueAt), left: timeLeft(task.dueAt, now) })),
      pendingExtensions: detail.pendingExtensions.map((pending) => ({ ...pending, clockLabel: detail.clocks[pending.clockId]?.label ?? pending.clockId, requested: dateTime(pending.requestedAt) })),
      timeline: timeline.map((entry) => ({ ...entry, atText: dateTime(entry.at), roleLabel: entry.actor ? roleLabel(entry.actor.role) : '' })),
      documents: documents
        .filter((doc) => canReadCaseDocument(user, documentAccess, doc))
        .map((doc) => ({ ...doc, issued: dateTime(doc.issuedAt), pdfUrl: doc.status === 'rendering' ? undefined : `/api/documents/${doc.documentId}/pdf` })),
      attachments: detail.attachments,
      actions: actions.map((available) => actionView(available, state, form, user)),
      referralPanel,
      refusal: form && !formShown ? refusalView(form.action, form.errors) : undefined,
      done: typeof req.query.done === 'string' && req.query.done in actionLabels ? actionLabels[req.query.done as keyof typeof actionLabels] : undefined,
      registered: req.query.registered === '1',
      merged: req.query.merged === '1',
    }, status);
  };

  router.get('/cases/:caseId', requirePage, async (req, res) => renderCase(req, res, req.params.caseId as string));

  router.post('/cases/:caseId/actions/:action', requirePage, csrf.protect, async (req, res) => {
    const user = currentUser(req);
    const caseId = req.params.caseId as string;
    const action = req.params.action as string;
    assertAccess(user, 'cases.act');
    await assertCaseVisible(user, caseId);
    const values = formFields(req.body);
    const parsed = caseCommandSchema.safeParse(commandFromForm(action, req.body));
    if (!parsed.success) return renderCase(req, res, caseId, { action, errors: formErrors(parsed.error), values }, 400);
    const returnTo = req.body?.returnTo === '/board' || req.body?.returnTo === '/tasks' ? req.body.returnTo : undefined;
    try {
      await performCaseAction(commandDeps, caseId, parsed.data, actorOf(req));
    } catch (error) {
      const { status, body } = toProblem(error);
      if (status >= 500) throw error;
      const message = body.error || `${actionLabels[parsed.data.action] ?? action}未能完成（${status}）`;
      // Answered on the page the form was posted from, so the refusal is seen where it was asked.
      if (returnTo === '/board') return renderBoard(req, res, { refusal: refusalView(action, [message], caseId) }, status);
      if (returnTo === '/tasks') return renderTasks(req, res, { error: `${actionLabels[parsed.data.action] ?? action}失败：${message}` }, status);
      return renderCase(req, res, caseId, { action, errors: [message], values }, status);
    }
    res.redirect(303, returnTo ?? `/cases/${encodeURIComponent(caseId)}?done=${encodeURIComponent(action)}`);
  });

  // --- intake ---------------------------------------------------------------------------
  const complaintChannels: Channel[] = ['complaint', 'hotline', 'online'];

  const renderIntake = (req: Request, res: Response, extra: { form?: 'complaint' | 'patrol'; errors?: string[]; values?: Record<string, string> } = {}, status = 200) => {
    const user = currentUser(req);
    assertAccess(user, 'intake.register');
    const values = extra.values ?? {};
    const selectedRegion = values.regionCode ?? user.regionCode;
    render(req, res, 'intake', {
      title: '事项登记',
      complaintChannels: complaintChannels
        .filter((channel) => canRegisterIntake(user.role, channel))
        .map((channel) => ({ code: channel, label: channelLabels[channel], selected: (extra.form === 'complaint' ? values.channel : 'complaint') === channel })),
      canPatrol: canRegisterIntake(user.role, 'patrol'),
      categories: categories.map((code) => ({ code, label: categoryLabels[code], selected: values.category === code })),
      regions: regionOptions(user.regionCode, selectedRegion),
      complaintKey: extra.form === 'complaint' && values.idempotencyKey ? values.idempotencyKey : randomUUID(),
      patrolKey: extra.form === 'patrol' && values.idempotencyKey ? values.idempotencyKey : randomUUID(),
      complaint: extra.form === 'complaint' ? { errors: extra.errors, values } : { values: {} },
      patrol: extra.form === 'patrol' ? { errors: extra.errors, values } : { values: {} },
    }, status);
  };

  router.get('/intake', requirePage, (req, res) => renderIntake(req, res));

  const submitIntake = async (req: Request, res: Response, form: 'complaint' | 'patrol', values: Record<string, string>, attachments: () => Promise<IntakeAttachments>) => {
    const body = intakeBody(form, values);
    const checked = intakeSchema.safeParse({ ...body, attachments: [] });
    if (!checked.success) return renderIntake(req, res, { form, errors: formErrors(checked.error), values }, 400);
    let stored: IntakeAttachments;
    try {
      stored = await attachments();
    } catch (error) {
      if (error instanceof AttachmentRejected) return renderIntake(req, res, { form, errors: [`照片：${error.message}`], values }, 400);
      throw error;
    }
    const intake = toIntakeInput({ ...checked.data, attachments: stored }, new Date());
    intake.idempotencyKey = intakeKeyOfForm(checked.data.idempotencyKey, intake.contentFingerprint!);
    try {
      const outcome = await registerIntake(commandDeps, intake, actorOf(req));
      const target = outcome.mergedInto?.caseId ?? outcome.caseId;
      res.redirect(303, `/cases/${encodeURIComponent(target)}?${outcome.mergedInto ? 'merged=1' : 'registered=1'}`);
    } catch (error) {
      const { status, body: problem } = toProblem(error);
      if (status >= 500) throw error;
      renderIntake(req, res, { form, errors: [problem.error], values }, status);
    }
  };

  router.post('/intake/complaint', requirePage, csrf.protect, async (req, res) => {
    const values = formFields(req.body);
    await submitIntake(req, res, 'complaint', { ...values, anonymous: req.body?.anonymous === 'on' ? 'on' : '' }, async () => []);
  });

  // multer parses the multipart body first so that the CSRF field is there to check; an upload
  // refused by a limit is reported on the form after the CSRF check, never silently dropped.
  const parsePhotos: RequestHandler = (req, res, next) => {
    photoUpload.array('photos', 6)(req, res, (error: unknown) => {
      if (error) res.locals.uploadError = error;
      next();
    });
  };

  router.post('/intake/patrol', requirePage, parsePhotos, csrf.protect, async (req, res) => {
    const values = formFields(req.body);
    const uploadError: unknown = res.locals.uploadError;
    if (uploadError) {
      // Limits are 413 (as for any body too large); a multipart body busboy cannot read is 400.
      const { status, body } = toProblem(uploadError);
      const known = status < 500;
      return renderIntake(req, res, { form: 'patrol', errors: [`照片：${known ? body.error : '上传的表单无法解析，请重新选择照片后提交'}`], values }, known ? status : 400);
    }
    const user = currentUser(req);
    const files = (req.files as Express.Multer.File[] | undefined) ?? [];
    await submitIntake(req, res, 'patrol', { ...values, channel: 'patrol' }, () => storePhotos(files, user, new Date()));
  });

  // --- supervisor board -----------------------------------------------------------------
  const renderBoard = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const user = currentUser(req);
    assertAccess(user, 'board.read');
    const now = new Date();
    const soon = new Date(now.getTime() + 3 * 86_400_000);
    const [board, dueSoon, tasks] = await Promise.all([
      supervisorBoard(user, now),
      casesDueBy(user, now, soon, 50),
      listTasks(user, { view: 'unit', page: 1, pageSize: 100 }),
    ]);
    const caseRow = (item: { caseId: string; caseNo: string; status: string; category: string; description: string; regionCode: string; nextDueAt?: string; escalationLevel: number }) => ({
      ...item,
      statusLabel: statusLabel(item.status),
      categoryLabel: categoryLabel(item.category),
      regionName: regionName(item.regionCode),
      due: dateTime(item.nextDueAt),
      left: timeLeft(item.nextDueAt, now),
    });
    const approvalKinds = ['approve_extension', 'approve_closure', 'approve_referral', 'supervise_overdue'];
    render(req, res, 'board', {
      title: '督办看板',
      rows: board.rows.map((row) => ({ ...row, regionName: regionName(row.regionCode) })),
      overdueCases: board.overdueCases.map(caseRow),
      overdueTotal: board.overdueTotal,
      overdueMore: board.overdueTotal > board.overdueCases.length,
      dueSoon: dueSoon.map(caseRow),
      canEscalate: canPerformAction(user.role, 'escalate'),
      approvals: tasks.items
        .filter((task) => approvalKinds.includes(task.kind))
        .map((task) => ({ ...task, title: taskTitle(task.title, taskKindLabels[task.kind]), kindLabel: taskKindLabels[task.kind] ?? task.kind, due: dateTime(task.dueAt), left: timeLeft(task.dueAt, now) })),
      ...extra,
    }, status);
  };

  router.get('/board', requirePage, async (req, res) => renderBoard(req, res));

  // --- referrals (两法衔接): inbox, one referral, the 移送公安 proposal -----------------------
  router.use(referralPages({ render, csrf, requirePage, commandDeps, renderCase }));
  router.use(auditPages({ render, requirePage, temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE, anchorKey: deps.config.AUDIT_ANCHOR_KEY }));

  // --- fall-through and errors ----------------------------------------------------------
  router.use((req, res, next) => {
    if (req.path.startsWith('/api/') || !req.accepts('html')) return next();
    render(req, res, 'error', { title: '页面不存在', status: 404, message: `没有这个页面：${req.path}` }, 404);
  });

  const pageErrors: ErrorRequestHandler = (error, req, res, next: NextFunction) => {
    if (req.path.startsWith('/api/')) return next(error);
    if ((error as { code?: string }).code === 'EBADCSRFTOKEN') {
      return render(req, res, 'error', { title: '表单已过期', status: 403, message: '表单已过期或来源无效，请返回上一页刷新后重试。' }, 403);
    }
    const { status, body } = toProblem(error);
    if (status === 401) return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    if (status >= 500) return next(error);
    req.log?.warn({ status, code: body.code, method: req.method, path: req.originalUrl.split('?')[0]?.slice(0, 200) }, 'page request refused');
    render(req, res, 'error', { title: '无法完成', status, message: body.error }, status);
  };
  router.use(pageErrors);

  return router;
}

type IntakeAttachments = Awaited<ReturnType<typeof storePhotos>>;

/** A refused action as the page shows it: which action, and every reason given. */
function refusalView(action: string, errors: string[], caseId?: string): { label: string; errors: string[]; caseId?: string } {
  return { label: actionLabels[action as keyof typeof actionLabels] ?? action, errors: errors.length > 0 ? errors : ['操作未能完成'], caseId };
}

/** Only local paths: an open redirect through ?next= would let a link send users anywhere. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[\w\-/?=&%.]*$/u.test(value) && !value.startsWith('/login') ? value : '/tasks';
}

/** The flat form fields as the nested intake the JSON API takes. */
function intakeBody(form: 'complaint' | 'patrol', values: Record<string, string>): Record<string, unknown> {
  const lng = values.lng ? Number(values.lng) : undefined;
  const lat = values.lat ? Number(values.lat) : undefined;
  const body: Record<string, unknown> = {
    channel: form === 'patrol' ? 'patrol' : values.channel,
    category: values.category,
    description: values.description,
    location: {
      address: values.address,
      regionCode: values.regionCode,
      ...(lng !== undefined || lat !== undefined ? { coordinates: { lng, lat } } : {}),
    },
    idempotencyKey: values.idempotencyKey,
  };
  if (values.subjectName || values.creditCode) body.subject = { name: values.subjectName, ...(values.creditCode ? { creditCode: values.creditCode } : {}) };
  if (form === 'complaint') {
    const anonymous = values.anonymous === 'on';
    if (anonymous || values.reporterName || values.reporterPhone) {
      body.reporter = anonymous ? { anonymous: true } : { anonymous: false, name: values.reporterName, phone: values.reporterPhone };
    }
  }
  return body;
}

/** One action's form: its label, the partial that draws it, its choices, and errors if it was just refused. */
function actionView(available: AvailableAction, state: CaseState, form: { action: string; errors: string[]; values: Record<string, string> } | undefined, user: AuthenticatedUser) {
  const mine = form?.action === available.action;
  const clockChoices = (available.clockIds ?? []).map((clockId) => ({ clockId, label: state.clocks[clockId]?.label ?? clockId, selected: mine && form?.values.clockId === clockId }));
  return {
    ...available,
    label: actionLabels[available.action],
    partial: `action-${available.action}`,
    errors: mine ? form?.errors : undefined,
    values: mine ? form?.values : {},
    clockChoices,
    tasks: (available.taskIds ?? []).map((taskId) => ({ taskId, title: taskTitle(state.tasks.find((task) => task.taskId === taskId)?.title ?? taskId) })),
    failedDocuments: (available.documents ?? []).map((failed) => ({ ...failed, title: documentKinds[failed.kind].title, occasionLabel: occasionLabel(failed.occasion) })),
    pending: state.pendingExtensions.filter((pending) => available.clockIds?.includes(pending.clockId)).map((pending) => ({
      ...pending,
      clockLabel: state.clocks[pending.clockId]?.label ?? pending.clockId,
      unitLabel: pending.unit === 'WD' ? '个工作日' : '日',
    })),
    complaint: ['complaint', 'hotline', 'online'].includes(state.channel) || state.relatedComplaints.length > 0,
    regions: available.action === 'triage' ? regionOptions(state.countyCode, mine ? form?.values.unitRegionCode : undefined) : [],
    categoryChoices: available.action === 'triage' ? categories.map((code) => ({ code, label: categoryLabels[code], selected: (mine ? form?.values.category : state.category) === code })) : [],
    userRole: user.role,
  };
}
