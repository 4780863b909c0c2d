// Notifications to a role in a region (reminders, overdue, escalation, referral events).
import { isDuplicateKey } from '../models/duplicate-key';
import { NotificationModel } from '../models/intake.model';
import { insertIgnoringDuplicates } from './insert-ignoring-duplicates';

export interface NewNotification {
  /** Idempotency key: the same key twice records one notification. */
  key: string;
  caseId: string;
  caseNo: string;
  role: string;
  regionCode: string;
  unitId?: string;
  message: string;
}

export async function saveNotification({ key, caseId, caseNo, role, regionCode, message }: Omit<NewNotification, 'unitId'>): Promise<void> {
  await insertIgnoringDuplicates(NotificationModel, [{ _id: key, caseId, caseNo, role, regionCode, message }]);
}

/** As saveNotification, for a police unit as well (its `unitId` is kept when given). */
export async function saveUnitNotification({ key, caseId, caseNo, role, regionCode, unitId, message }: NewNotification): Promise<void> {
  try {
    await NotificationModel.create({ _id: key, caseId, caseNo, role, regionCode, message, ...(unitId ? { unitId } : {}) });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}
