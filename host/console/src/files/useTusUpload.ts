import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import type { Upload } from 'tus-js-client';
import { useFormat } from '../i18n/format';
import './i18n';
import { maxUploadBytes, startUpload, type UploadCallbacks, type UploadFailure } from './upload';

/** Bytes in the person's language: 12.3 MB, 840 kB, 512 byte(s). */
export function useBytes() {
  const { locale } = useFormat();
  return (bytes: number) => {
    const units = [
      ['gigabyte', 1e9],
      ['megabyte', 1e6],
      ['kilobyte', 1e3],
    ] as const;
    for (const [unit, size] of units) {
      if (bytes >= size) {
        return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(bytes / size);
      }
    }
    return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(bytes);
  };
}

/** The part of a form's upload state that the transfer itself moves: bytes sent, and a retry after a dropped connection. */
export type Transfer = { phase: 'sending' | 'retrying'; sent: number; total: number; attempt?: number };

/**
 * What every form that sends a file by tus shares (the files panel, the import's upload): the server's size limit
 * (asked once), the upload in flight (aborted when the form goes away, pausable), the person's words for a failure, and
 * the progress callbacks that move the form's own state through {@link Transfer}. Each form keeps the phases that are its
 * own (attaching the file to a record, reading an import file).
 */
export function useTusUpload<S extends { phase: string }>(setState: Dispatch<SetStateAction<S>>) {
  const { t } = useTranslation();
  const bytes = useBytes();
  const [max, setMax] = useState<number | null>(null);
  const upload = useRef<Upload | null>(null);

  useEffect(() => {
    let live = true;
    void maxUploadBytes().then((value) => live && setMax(value));
    return () => {
      live = false;
      void upload.current?.abort();
    };
  }, []);

  /** The failure in the person's language; a form may say a refused type in its own words. */
  const messageOf = (failure: UploadFailure, typeMessage?: string): string => {
    switch (failure.kind) {
      case 'tooLarge':
        return max !== null ? t('files.error.tooLarge', { max: bytes(max) }) : t('files.error.tooLargeNoMax');
      case 'other':
        return t('files.error.other', { status: failure.status ?? '—' });
      case 'type':
        return typeMessage ?? t('files.error.type');
      default:
        return t(`files.error.${failure.kind}`);
    }
  };

  /** "Too large" for a chosen file, before anything is sent; null when it fits (or the limit is unknown). */
  const tooLarge = (file: File): string | null => (max !== null && file.size > max ? t('files.error.tooLarge', { max: bytes(max) }) : null);

  /** Sends (or resumes) the file; the form's state goes to sending, then follows the transfer until success or failure. */
  const send = async (file: File, done: Pick<UploadCallbacks, 'onSuccess' | 'onError'>) => {
    setState({ phase: 'sending', sent: 0, total: file.size } as Transfer as unknown as S);
    upload.current = await startUpload(file, {
      onProgress: (sent, total) => setState({ phase: 'sending', sent, total } as Transfer as unknown as S),
      onRetrying: (attempt) => setState((s) => ('sent' in s ? ({ ...s, phase: 'retrying', attempt } as S) : s)),
      onSuccess: (uploadId) => {
        upload.current = null;
        done.onSuccess(uploadId);
      },
      onError: done.onError,
    });
  };

  return {
    max,
    messageOf,
    tooLarge,
    send,
    /** Stops sending; what was sent stays on the server and {@link resume} goes on from there. */
    pause: async () => {
      await upload.current?.abort();
    },
    resume: () => upload.current?.start(),
  };
}
