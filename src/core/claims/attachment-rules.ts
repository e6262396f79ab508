import { CoreError } from '../errors.js';
import { ATTACHMENT_LIMITS } from './claim.js';

export interface UploadedFile {
  filename: string;
  contentType: string;
  size: number;
}

const FILENAME_MAX = 255;
// RFC 9110 tokens: a type that passes can be sent back in a Content-Type header as it is.
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/;

/**
 * What is kept of an upload's name and type. Browsers send paths on some systems and anything may be
 * in a header, so the name loses folders and control characters, and a type that is not a plain
 * `type/subtype` is stored as application/octet-stream.
 */
export function checkAttachment(file: UploadedFile, alreadyAttached: number): UploadedFile {
  if (alreadyAttached >= ATTACHMENT_LIMITS.perClaim) {
    throw new CoreError('quantity_exceeded', `a claim holds at most ${ATTACHMENT_LIMITS.perClaim} files`, [
      { field: 'file', message: `the claim already has ${ATTACHMENT_LIMITS.perClaim} files` },
    ]);
  }
  // Control characters are stripped on purpose: they must never reach a header or a log.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point of this pattern
  const filename = (file.filename.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const refuse = (message: string) =>
    new CoreError('validation_failed', `file: ${message}`, [{ field: 'file', message }]);
  if (filename.length === 0) throw refuse('needs a file name');
  if (filename.length > FILENAME_MAX) throw refuse(`the file name is longer than ${FILENAME_MAX} characters`);
  if (file.size === 0) throw refuse('is empty');
  if (file.size > ATTACHMENT_LIMITS.maxBytes) {
    throw refuse(`is larger than ${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB`);
  }
  const type = file.contentType.split(';')[0]!.trim().toLowerCase();
  return {
    filename,
    contentType: MEDIA_TYPE.test(type) ? type : 'application/octet-stream',
    size: file.size,
  };
}
