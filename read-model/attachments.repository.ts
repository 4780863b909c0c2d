// Uploaded photos (models/attachment.model.ts), stored before the intake that names them is sent.
import { AttachmentModel } from '../models/attachment.model';

export interface NewAttachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  data: Buffer;
  uploadedBy: string;
  regionCode: string;
  uploadedAt: Date;
}

export async function saveAttachment({ id, ...attachment }: NewAttachment): Promise<void> {
  await AttachmentModel.create({ _id: id, ...attachment });
}
