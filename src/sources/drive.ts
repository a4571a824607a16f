import { ForensicError, asForensicError } from '../errors.js';
import { openInput, READ_CHUNK, type OpenedInput } from './input.js';

/** What every stream-free reader offers: push chunks, end, live counters. */
export interface PushParser<I extends DriveInfo> {
  readonly info: I;
  write(chunk: Uint8Array): void;
  end(): void;
}

export interface DriveInfo {
  gzip: boolean;
  bytes: number;
  error?: ForensicError;
}

export interface DriveOptions {
  chunkSize?: number;
  /** already opened (and sniffed) by the caller */
  opened?: OpenedInput;
  /** refuses an input by its head before any chunk is parsed (throws ForensicError) */
  check?: (input: OpenedInput) => void;
}

/**
 * The one async shell around the push parsers (capture, conntrack, …): opens the input, feeds it chunk by chunk,
 * yields what each chunk produced, and never throws for bad content — a damaged input ends with `info.error` set and
 * every record before the damage delivered.
 */
export async function* drive<R, I extends DriveInfo>(
  path: string,
  make: (emit: (r: R) => void) => PushParser<I>,
  opts: DriveOptions = {},
): AsyncGenerator<R[], I> {
  let batch: R[] = [];
  const parser = make((r) => batch.push(r));
  let input = opts.opened;
  try {
    input ??= await openInput(path, opts.chunkSize ?? READ_CHUNK);
    parser.info.gzip = input.gzip;
    opts.check?.(input);
    for await (const chunk of input.chunks) {
      parser.write(chunk);
      if (batch.length) {
        yield batch;
        batch = [];
      }
    }
    parser.end();
  } catch (err) {
    const e = asForensicError(err, path);
    // damage found by the decompressor or the OS has no place of its own: use how far the parser got
    parser.info.error = e.offset === undefined && e.line === undefined ? new ForensicError(e.code, e.message, { file: path, offset: parser.info.bytes }) : e;
  } finally {
    input?.close();
  }
  if (batch.length) yield batch;
  return parser.info;
}
