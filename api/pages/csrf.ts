import { createHmac } from 'node:crypto';
import { doubleCsrf } from 'csrf-csrf';
import type { Request, RequestHandler, Response } from 'express';
import { tokenOf } from '../auth';

export interface PageCsrf {
  /** Validates the hidden `_csrf` field against the cookie on every unsafe method. */
  protect: RequestHandler;
  /** A token for a GET page to render into its forms (sets or reuses the cookie). */
  token(req: Request, res: Response): string;
}

/**
 * Double-submit CSRF (csrf-csrf 4): an httpOnly cookie and the same token in each form's hidden
 * field, HMAC-bound to the session token so a token from one session is useless in another.
 * Before login the binding is to "no session"; the login page's token is replaced after login.
 * In production the cookie is `__Host-` prefixed and Secure.
 */
export function createPageCsrf(options: { sessionSecret: string; production: boolean }): PageCsrf {
  const secret = createHmac('sha256', options.sessionSecret).update('envcase csrf').digest('hex');
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => tokenOf(req) ?? '',
    cookieName: options.production ? '__Host-envcase.csrf' : 'envcase_csrf',
    cookieOptions: { sameSite: 'lax', secure: options.production, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
    errorConfig: { statusCode: 403, message: '表单已过期或来源无效，请刷新页面后重试', code: 'EBADCSRFTOKEN' },
  });
  return {
    protect: doubleCsrfProtection,
    token: (req, res) => generateCsrfToken(req, res),
  };
}
