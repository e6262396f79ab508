/** What an API sends back: a status, a body, and the headers and content type that go with them. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The content type when it is not plain JSON (problem+json, say). */
  contentType?: string;
}
