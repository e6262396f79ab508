import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { addAttachment } from '../../core/claims/add-attachment.js';
import { ATTACHMENT_LIMITS, type ClaimAttachment } from '../../core/claims/claim.js';
import { notFound } from '../../core/errors.js';
import type { App } from '../context.js';
import type { Kit } from '../kit/api.js';
import { attachmentJson } from './claim-json.js';
import { PROBLEM_CONTENT_TYPE, problem } from './errors.js';
import { AttachmentSchema, FileDownload, IdParams } from './schemas.js';

export const AttachmentParams = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 60 }),
    attachment_id: Type.String({ minLength: 1, maxLength: 60 }),
  },
  { additionalProperties: false },
);

interface Upload {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** An upload refused before the core saw it: answered as a problem naming the form field `file`. */
class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MB = ATTACHMENT_LIMITS.maxBytes / 1024 / 1024;

/**
 * The upload route lives in a scope of its own: only here is multipart/form-data read, and every
 * other body is refused by the route itself (so the answer names `file`, not a parser's error).
 */
export async function claimAttachmentRoutes(app: App, kit: Kit): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => {
    payload.resume();
    done(null, undefined);
  });
  await app.register(multipart, {
    // One file per request, bounded; the busboy limits stop a request before it is read whole.
    limits: { fileSize: ATTACHMENT_LIMITS.maxBytes, files: 1, fields: 10, fieldSize: 1000, parts: 20 },
  });

  app.post(
    '/claims/:id/attachments',
    {
      schema: {
        summary: 'Add a file to a claim',
        description: `multipart/form-data with the file in the field \`file\`: one file per request, at most ${MB} MB, at most ${ATTACHMENT_LIMITS.perClaim} files per claim. A closed claim takes no more files.`,
        tags: ['claims'],
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: AttachmentSchema },
      },
    },
    async (request, reply) => {
      let upload: Upload;
      try {
        upload = await readUpload(request);
      } catch (error) {
        if (!(error instanceof UploadRefused)) throw error;
        return sendRefusal(reply, error);
      }
      // The idempotency key is checked against the request body: describe the file by its digest, so
      // a retry replays only when it sends the very same file.
      request.body = {
        file: {
          filename: upload.filename,
          content_type: upload.contentType,
          sha256: createHash('sha256').update(upload.content).digest('hex'),
        },
      };
      return kit.write(request, reply, async (deps) => {
        const { attachment } = await addAttachment(deps, request.tenant, {
          claimId: request.params.id,
          filename: upload.filename,
          contentType: upload.contentType,
          content: upload.content,
        });
        return { status: 201, body: attachmentJson(attachment) };
      });
    },
  );

  app.get(
    '/claims/:id/attachments/:attachment_id',
    {
      schema: {
        summary: "Download a claim's file",
        tags: ['claims'],
        params: AttachmentParams,
        response: { 200: FileDownload },
      },
    },
    async (request, reply) => {
      const found = await app.protego.db.read.claims.attachment(
        request.tenant,
        request.params.id,
        request.params.attachment_id,
      );
      if (!found) throw notFound('attachment', 'attachment_id');
      return sendAttachment(reply, found);
    },
  );
}

/**
 * Sends a stored file as a download. Always `attachment` and `nosniff`: whatever type the uploader
 * claimed, a browser must not render it in our origin.
 */
export function sendAttachment(
  reply: FastifyReply,
  found: { attachment: ClaimAttachment; content: Uint8Array },
) {
  const { attachment, content } = found;
  const ascii = attachment.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return reply
    .type(attachment.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .send(Buffer.from(content.buffer, content.byteOffset, content.byteLength));
}

function sendRefusal(reply: FastifyReply, error: UploadRefused) {
  const body = problem(error.status, error.code, `file: ${error.message}`, [
    { field: 'file', message: error.message },
  ]);
  return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Reads the one file of a multipart body, refusing anything else it carries. */
async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new UploadRefused(415, 'unsupported_media_type', 'send the file as multipart/form-data');
  }
  let upload: Upload | undefined;
  const others: string[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file' && part.fieldname === 'file') {
        upload = { filename: part.filename, contentType: part.mimetype, content: await part.toBuffer() };
      } else if (part.type === 'file') {
        await part.toBuffer(); // a file stream must be read through before the next part arrives
        others.push(part.fieldname);
      } else {
        others.push(part.fieldname);
      }
    }
  } catch (error) {
    throw refusalFor(error);
  }
  if (others.includes('file'))
    throw new UploadRefused(400, 'validation_failed', 'must be a file, not a text field');
  if (others.length > 0) {
    throw new UploadRefused(400, 'validation_failed', `send only the field "file", not ${others.join(', ')}`);
  }
  if (!upload) throw new UploadRefused(400, 'validation_failed', 'is required');
  return upload;
}

/** Anything that goes wrong reading the body is the body's fault: limits, or a form that does not parse. */
function refusalFor(error: unknown): UploadRefused {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE')
    return new UploadRefused(413, 'payload_too_large', `is larger than ${MB} MB`);
  if (code === 'FST_FILES_LIMIT') return new UploadRefused(400, 'validation_failed', 'one file per request');
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new UploadRefused(
      413,
      'payload_too_large',
      'the form has too many parts: send only the field "file"',
    );
  }
  return new UploadRefused(
    400,
    'validation_failed',
    `not a readable multipart/form-data body (${(error as Error).message})`,
  );
}
