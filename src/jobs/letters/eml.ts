/**
 * Just enough MIME to read back the messages Protego writes (`protego mail`): headers with encoded
 * words, multipart bodies, quoted-printable and base64. mailparser does all of it and more, but it is
 * a development dependency; the CLI must run from a production install.
 */

interface EmlPart {
  headers: Map<string, string>;
  /** Decoded text for text parts; undefined for others. */
  text: string | undefined;
  contentType: string;
  filename: string | undefined;
  /** Decoded size in bytes. */
  size: number;
}

export interface EmlMessage {
  headers: Map<string, string>;
  /** Every leaf part, in order; a message that is not multipart is its own one part. */
  parts: EmlPart[];
}

export function parseEml(raw: string): EmlMessage {
  const { headers, body } = splitHead(raw);
  return { headers, parts: leafParts(headers, body) };
}

/** Only the headers: enough to list a folder without decoding attachments. */
export function parseEmlHeaders(raw: string): Map<string, string> {
  return splitHead(raw).headers;
}

function splitHead(raw: string): { headers: Map<string, string>; body: string } {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end === -1 ? text : text.slice(0, end);
  const headers = new Map<string, string>();
  // Folded lines (starting with white space) continue the header above them.
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body: end === -1 ? '' : text.slice(end + 2) };
}

function leafParts(headers: Map<string, string>, body: string): EmlPart[] {
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = param(type, 'boundary');
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    return sections
      .filter((s) => !s.startsWith('--'))
      .flatMap((section) => {
        const part = splitHead(section.replace(/^\n/, ''));
        return leafParts(part.headers, part.body);
      });
  }
  const bytes = decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit');
  const mime = type.split(';')[0]!.trim().toLowerCase();
  const disposition = headers.get('content-disposition') ?? '';
  return [
    {
      headers,
      contentType: mime,
      text: mime.startsWith('text/') ? decodeText(bytes, param(type, 'charset') ?? 'utf-8') : undefined,
      filename: param(disposition, 'filename') ?? param(type, 'name'),
      size: bytes.length,
    },
  ];
}

function decodeBody(body: string, encoding: string): Buffer {
  const e = encoding.trim().toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (e === 'quoted-printable') return quotedPrintable(body);
  return Buffer.from(body.replace(/\n$/, ''), 'utf8');
}

function quotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function decodeText(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** RFC 2047 encoded words (`=?UTF-8?Q?F=C3=B6rs=C3=A4kring?=`); white space between two of them is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, kind: string, data: string) => {
      const bytes =
        kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : quotedPrintable(data.replace(/_/g, ' '));
      return decodeText(bytes, charset);
    });
}

/** A parameter of a structured header (`boundary`, `charset`, `filename`), quoted or not. */
function param(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\*?=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header);
  const value = match?.[1] ?? match?.[2];
  if (value === undefined) return undefined;
  // RFC 2231 (`filename*=utf-8''certificate.pdf`): drop the charset and language, undo the escapes.
  const extended = /^([^']*)'[^']*'(.*)$/.exec(value);
  return extended ? decodeURIComponent(extended[2]!) : value;
}
