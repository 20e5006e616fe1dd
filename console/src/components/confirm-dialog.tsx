import { useEffect, useRef } from 'preact/hooks';

/**
 * A modal question: the browser's own dialog element, which keeps the focus inside while open,
 * closes on Escape, and on closing gives the focus back to what had it before.
 */
export function ConfirmDialog({ message, confirmLabel, cancelLabel = 'Go back', onConfirm, onCancel }: { message: string; confirmLabel: string; cancelLabel?: string; onConfirm(): void; onCancel(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const confirmed = useRef(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const close = (confirm: boolean) => {
    confirmed.current = confirm;
    dialog.current?.close();
  };
  return (
    <dialog ref={dialog} aria-labelledby="confirm-message" onClose={() => (confirmed.current ? onConfirm() : onCancel())}>
      <p id="confirm-message">{message}</p>
      <div class="actions">
        <button type="button" class="danger" onClick={() => close(true)}>
          {confirmLabel}
        </button>
        <button type="button" class="secondary" autofocus onClick={() => close(false)}>
          {cancelLabel}
        </button>
      </div>
    </dialog>
  );
}
