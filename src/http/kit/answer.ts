import type { FastifyReply } from 'fastify';

/** What an API sends back: a status, a body, and the headers and content type that go with them. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The content type when it is not plain JSON (problem+json, say). */
  contentType?: string;
}

/** Sends an answer with its headers and content type. */
export function sendAnswer(reply: FastifyReply, answer: Answer): FastifyReply {
  if (answer.headers) reply.headers(answer.headers);
  reply.type(answer.contentType ?? 'application/json; charset=utf-8');
  return reply.code(answer.status).send(answer.body);
}
