import type { Request, Response } from 'express';
import { createViewEngine, type ViewEngine } from './view-engine';

const titles: Record<number, string> = {
  400: '请求有误',
  401: '请先登录',
  403: '无权访问',
  404: '页面不存在',
  413: '提交的内容过大',
  415: '不支持的请求格式',
  429: '操作过于频繁',
};

/**
 * The error page for failures that happen before the page routes run (body parsing, path
 * decoding) or that they pass on: the same status as the API would answer, in Chinese, in the
 * site's layout but without the user's navigation (the session may not have been read).
 */
export function errorPage(views?: ViewEngine): (req: Request, res: Response, status: number, message: string) => void {
  let engine = views;
  return (_req, res, status, message) => {
    engine ??= createViewEngine();
    const title = titles[status] ?? (status >= 500 ? '系统暂时无法处理' : '无法完成');
    res.status(status).type('html').send(engine.render('error', { title, status, message }));
  };
}
