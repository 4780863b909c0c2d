import { createHash, randomUUID } from 'node:crypto';
import multer from 'multer';
import type { Attachment } from '../../domain/case';
import { saveAttachment } from '../../read-model/attachments.repository';

export const maxPhotoBytes = 5 * 1024 * 1024;
export const maxPhotos = 6;
const acceptedTypes = ['image/jpeg', 'image/png'] as const;

/** Multipart parsing in memory with the size and count limits enforced while streaming. */
export const photoUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: maxPhotoBytes, files: maxPhotos, fields: 40 },
});

export class AttachmentRejected extends Error {}

/** The declared type must be JPEG or PNG and the bytes must start with that format's signature. */
export function checkPhoto(file: Pick<Express.Multer.File, 'mimetype' | 'buffer' | 'originalname' | 'size'>): void {
  if (!(acceptedTypes as readonly string[]).includes(file.mimetype)) throw new AttachmentRejected(`${file.originalname}：只接受 JPEG 或 PNG 图片`);
  const bytes = file.buffer;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const isPng = bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if ((file.mimetype === 'image/jpeg' && !isJpeg) || (file.mimetype === 'image/png' && !isPng)) {
    throw new AttachmentRejected(`${file.originalname}：文件内容不是声明的图片格式`);
  }
  if (file.size > maxPhotoBytes) throw new AttachmentRejected(`${file.originalname}：超过 5 MB`);
}

export async function storePhotos(files: Express.Multer.File[], uploader: { userId: string; regionCode: string }, now: Date): Promise<Attachment[]> {
  const stored: Attachment[] = [];
  for (const file of files) {
    checkPhoto(file);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const fileId = randomUUID();
    await saveAttachment({
      id: fileId,
      name: file.originalname.slice(0, 200) || 'photo',
      contentType: file.mimetype,
      size: file.size,
      sha256,
      data: file.buffer,
      uploadedBy: uploader.userId,
      regionCode: uploader.regionCode,
      uploadedAt: now,
    });
    stored.push({ name: file.originalname.slice(0, 200) || 'photo', contentType: file.mimetype, fileId, sha256 });
  }
  return stored;
}
