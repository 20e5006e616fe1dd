/** The labels as a PNG (all of the consignment's labels, stacked), asked for only when wanted: a first fetch counts as printing. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ok } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useSession } from '../../session.tsx';

export function LabelPreview({ reference }: { reference: string }) {
  const { api } = useSession();
  const [url, setUrl] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const image = useRef<HTMLImageElement>(null);
  useEffect(() => {
    // The button that asked for it is gone: the focus goes to the label.
    if (url) image.current?.focus();
    return () => void (url && URL.revokeObjectURL(url));
  }, [url]);
  const show = async () => {
    setLoading(true);
    setError(null);
    try {
      const png = await ok(api.GET('/labels/{reference}/{labelFormatOrPackage}', { params: { path: { reference, labelFormatOrPackage: 'PNG' } }, headers: { accept: 'image/png' }, parseAs: 'blob' }));
      setUrl(URL.createObjectURL(png as Blob));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  return (
    <section aria-labelledby="label-heading">
      <h2 id="label-heading">Label</h2>
      {url ? (
        <img ref={image} tabIndex={-1} class="label" src={url} alt={`The labels of ${reference}, as the carrier will scan them`} />
      ) : (
        <>
          <button type="button" onClick={show} disabled={loading}>
            {loading ? 'Rendering…' : 'Preview label'}
          </button>
          <p class="small muted">The first label fetched, preview or print, marks the consignment’s labels as printed.</p>
        </>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
