/** Small building blocks: labelled fields with their errors, the error notice, the confirm dialog, badges. */
import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useEffect, useId, useRef } from 'react';
import { ApiFailure } from './api.js';
import { isMessageKey, type MessageKey, type Translate, useI18n } from './i18n/index.js';

/** The operator-readable message of a failure, in the current language. */
export function failureMessage(t: Translate, error: unknown): string {
  if (error instanceof ApiFailure) {
    const key = `error.${error.code}`;
    if (isMessageKey(key)) return t(key);
    return t('error.HTTP', { status: error.status });
  }
  return t('error.unexpected');
}

/** Errors of a form: the ones checked here (by field) and the API's failure (by its `field`). */
export class FormErrors {
  constructor(
    readonly local: Record<string, MessageKey | string>,
    readonly failure: unknown,
    private readonly t: Translate,
  ) {}
  /** The message to show next to `field`, if any. */
  at(field: string): string | undefined {
    const local = this.local[field];
    if (local) return isMessageKey(local) ? this.t(local) : local;
    if (this.failure instanceof ApiFailure && this.failure.field === field) return failureMessage(this.t, this.failure);
    return undefined;
  }
  /** The API's failure when no input shows it (no field, or a field this form does not show). */
  top(shown: readonly string[]): unknown {
    if (!this.failure) return undefined;
    if (this.failure instanceof ApiFailure && this.failure.field && shown.includes(this.failure.field)) return undefined;
    return this.failure;
  }
  get any(): boolean {
    return Object.keys(this.local).length > 0;
  }
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id} data-testid="field-error">
      {message}
    </p>
  );
}

interface FieldProps {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  testid?: string;
}

export function TextField({ id, label, error, hint, testid, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={id} data-testid={testid} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export function SelectField({ id, label, error, hint, testid, children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={id} data-testid={testid} aria-invalid={error ? true : undefined} aria-describedby={described} {...select}>
        {children}
      </select>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/**
 * A failure at the top of a page or form: its message, and what can be done: reload after a
 * version conflict, try again when offline or the server failed.
 */
export function ErrorNotice({ error, onRetry, onReload }: { error: unknown; onRetry?: (() => void) | undefined; onReload?: (() => void) | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  const failure = error instanceof ApiFailure ? error : undefined;
  const conflict = failure?.code === 'VERSION_CONFLICT';
  return (
    <div className="notice error" role="alert" data-testid="error-notice">
      <p>{failureMessage(t, error)}</p>
      {conflict && onReload ? (
        <button type="button" onClick={onReload} data-testid="error-reload">
          {t('action.reload')}
        </button>
      ) : null}
      {!conflict && onRetry && (!failure || failure.retryable) ? (
        <button type="button" onClick={onRetry} data-testid="error-retry">
          {t('action.retry')}
        </button>
      ) : null}
    </div>
  );
}

/** A modal question (native <dialog>: focus kept inside, Escape cancels). */
export function ConfirmDialog({ open, title, body, confirmLabel, onConfirm, onCancel, busy }: { open: boolean; title: string; body: ReactNode; confirmLabel: string; onConfirm: () => void; onCancel: () => void; busy?: boolean }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); onCancel(); }} data-testid="confirm-dialog">
      <h2 id={titleId}>{title}</h2>
      <div>{body}</div>
      <div className="actions">
        <button type="button" onClick={onCancel} data-testid="confirm-no">
          {t('action.back')}
        </button>
        <button type="button" className="danger" onClick={onConfirm} disabled={busy} data-testid="confirm-yes">
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

export function Badge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('state.loading')}
    </p>
  );
}
