import type { ZodError } from 'zod';
import { fieldLabel } from '../validation-messages';

/** Form fields as strings, trimmed; empty fields left out so optional schema fields stay absent. */
export function formFields(body: unknown, skip: readonly string[] = ['_csrf', 'returnTo']): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!body || typeof body !== 'object') return fields;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (skip.includes(key) || typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (trimmed !== '') fields[key] = trimmed;
  }
  return fields;
}

/** A case action's form as the command the API schema expects ("true"/"false" → booleans, numbers). */
export function commandFromForm(action: string, body: unknown): Record<string, unknown> {
  const command: Record<string, unknown> = { action, ...formFields(body) };
  for (const key of ['approve', 'passed']) {
    if (command[key] === 'true') command[key] = true;
    else if (command[key] === 'false') command[key] = false;
  }
  if (typeof command.amount === 'string') command.amount = Number(command.amount);
  return command;
}

/** Zod issues as sentences naming the field in Chinese. */
export function formErrors(error: ZodError): string[] {
  return error.issues.map((issue) => {
    const label = issue.path.length > 0 ? fieldLabel(issue.path) : '表单';
    // A typed-in non-number (经度 "abc") reaches the schema as NaN: say so, not 必填.
    const notANumber = issue.code === 'invalid_type' && (issue as { received?: unknown }).received === 'NaN';
    const message = notANumber ? '应填写数字' : issue.code === 'invalid_type' ? '必填' : issue.code === 'invalid_value' ? '请从选项中选择' : issue.message;
    return `${label}：${message}`;
  });
}

/**
 * The idempotency key of an intake form: the form's nonce (fixed when the page was drawn) plus
 * the content. A double submit of the same form is one case; going Back, changing the content
 * and submitting again is another intake, not the first one answered again.
 */
export function intakeKeyOfForm(formNonce: string, contentFingerprint: string): string {
  return `form-${formNonce.slice(0, 100)}-${contentFingerprint.slice(0, 32)}`;
}
