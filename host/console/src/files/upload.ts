import type { DetailedError, PreviousUpload, Upload, UrlStorage } from 'tus-js-client';
import { antiforgeryHeaders, currentAccountId } from '../account/session';

export const uploadsEndpoint = '/files/uploads';

/** Why an upload stopped, for the panel to say in the person's language. */
export type UploadFailure =
  | { kind: 'tooLarge' }
  | { kind: 'type' }
  | { kind: 'forbidden' }
  | { kind: 'signedOut' }
  | { kind: 'gone' }
  | { kind: 'offline' }
  | { kind: 'other'; status?: number; message?: string };

export interface UploadCallbacks {
  onProgress: (sent: number, total: number) => void;
  /** A request failed and will be tried again after a delay (connection lost, server busy). */
  onRetrying: (attempt: number) => void;
  onSuccess: (uploadId: string) => void;
  onError: (failure: UploadFailure) => void;
}

/** Retries after a dropped connection: at once, then 1 s, 3 s, 5 s, 10 s, then every 20 s for about five minutes. */
export const retryDelays = [0, 1000, 3000, 5000, 10000, ...Array<number>(15).fill(20000)];

/** 8 MiB a PATCH: progress and a resume after a drop lose at most one such piece (the server stores 1 MiB chunks). */
export const chunkSize = 8 * 1024 * 1024;

/**
 * Where tus-js-client keeps the upload URL of a file being sent, so that a reload of the page (or another try of the
 * same file) goes on where the upload stopped: sessionStorage (the tab's, gone when it closes — never the browser's
 * lasting localStorage: a file's name can itself be sensitive), keyed by the signed-in account, removed on success.
 */
class SessionUrlStorage implements UrlStorage {
  private readonly prefix = 'omct-tus::';

  async findAllUploads(): Promise<PreviousUpload[]> {
    return this.find(this.prefix);
  }

  async findUploadsByFingerprint(fingerprint: string): Promise<PreviousUpload[]> {
    return this.find(`${this.prefix}${fingerprint}::`);
  }

  async removeUpload(urlStorageKey: string): Promise<void> {
    sessionStorage.removeItem(urlStorageKey);
  }

  async addUpload(fingerprint: string, upload: PreviousUpload): Promise<string> {
    const key = `${this.prefix}${fingerprint}::${Math.round(Math.random() * 1e12)}`;
    sessionStorage.setItem(key, JSON.stringify(upload));
    return key;
  }

  private find(prefix: string): PreviousUpload[] {
    const found: PreviousUpload[] = [];
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (key?.startsWith(prefix)) {
        try {
          found.push({ ...(JSON.parse(sessionStorage.getItem(key) ?? '') as PreviousUpload), urlStorageKey: key });
        } catch {
          sessionStorage.removeItem(key);
        }
      }
    }
    return found;
  }
}

const urlStorage = new SessionUrlStorage();

/** The upload's id: the last segment of the Location that POST /files/uploads answered. */
export function uploadIdOf(url: string): string {
  return decodeURIComponent(url.split('?')[0]!.split('/').filter(Boolean).pop() ?? '');
}

/** Tus-Max-Size as the server says (OPTIONS /files/uploads), or null when it does not answer. */
export async function maxUploadBytes(): Promise<number | null> {
  try {
    const response = await fetch(uploadsEndpoint, { method: 'OPTIONS', credentials: 'same-origin' });
    const value = Number(response.headers.get('Tus-Max-Size'));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

function failureOf(error: Error | DetailedError): UploadFailure {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (!response) {
    return navigator.onLine === false ? { kind: 'offline' } : { kind: 'other', message: error.message };
  }
  const status = response.getStatus();
  let code: string | undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(response.getBody()) as { errors?: { message?: string; extensions?: { code?: string } }[] };
    code = body.errors?.[0]?.extensions?.code;
    message = body.errors?.[0]?.message;
  } catch {
    // not the contract's JSON (a proxy's page): the status says enough
  }
  if (status === 413 || code === 'LIMIT_EXCEEDED') {
    return { kind: 'tooLarge' };
  }
  if (status === 415) {
    return { kind: 'type' };
  }
  if (status === 403 || code === 'FORBIDDEN') {
    return { kind: 'forbidden' };
  }
  if (status === 401 || code === 'UNAUTHENTICATED') {
    return { kind: 'signedOut' };
  }
  if (status === 404) {
    return { kind: 'gone' };
  }
  return { kind: 'other', status, message };
}

/**
 * Starts (or resumes, when this tab already sent part of the same file) a tus upload with the console's session: the
 * cookie goes with every same-origin request, and each request carries the antiforgery header as the GraphQL calls do.
 * tus-js-client is loaded here, when a person uploads, not with the page.
 */
export async function startUpload(file: File, callbacks: UploadCallbacks): Promise<Upload> {
  const tus = await import('tus-js-client');
  const account = currentAccountId() ?? 'anonymous';
  const upload: Upload = new tus.Upload(file, {
    endpoint: uploadsEndpoint,
    chunkSize,
    retryDelays,
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    urlStorage,
    fingerprint: async (f) => ['omct', account, f.name, f.type, f.size, f.lastModified].join('/'),
    metadata: { filename: file.name, filetype: file.type || 'application/octet-stream' },
    onBeforeRequest: (request) => {
      for (const [name, value] of Object.entries(antiforgeryHeaders())) {
        request.setHeader(name, value);
      }
    },
    onShouldRetry: (error, attempt) => {
      const status = error.originalResponse?.getStatus() ?? 0;
      // The contract's refusals (too large, type, forbidden, gone) are final; a conflict, a lock or a network
      // failure is worth another HEAD and PATCH.
      const retry = status === 0 || status === 409 || status === 423 || status >= 500;
      if (retry) {
        callbacks.onRetrying(attempt + 1);
      }
      return retry;
    },
    onProgress: callbacks.onProgress,
    onSuccess: () => callbacks.onSuccess(uploadIdOf(upload.url ?? '')),
    onError: (error) => callbacks.onError(failureOf(error)),
  });
  const previous = await upload.findPreviousUploads();
  if (previous[0]) {
    upload.resumeFromPreviousUpload(previous[0]);
  }
  upload.start();
  return upload;
}
