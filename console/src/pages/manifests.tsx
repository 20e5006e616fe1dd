/** The manifests sent to the carriers, newest first, each downloadable as its PDF. */
import { useState } from 'preact/hooks';
import { ok } from '../api/client.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { useLoad, useTitle } from '../components/use-load.ts';
import { saveFile } from '../download.ts';
import { formatCount, formatDay, formatInstant } from '../format.ts';
import { useSession } from '../session.tsx';

export function ManifestsPage() {
  useTitle('Manifests');
  const { api } = useSession();
  const manifests = useLoad((signal) => ok(api.GET('/consignments/customer/manifests', { signal })), []);
  const [error, setError] = useState<unknown>(null);
  const download = async (reference: string, fileName: string) => {
    setError(null);
    try {
      const pdf = await ok(api.GET('/consignments/customer/manifest/{manifestReference}', { params: { path: { manifestReference: reference } }, headers: { accept: 'application/pdf' }, parseAs: 'blob' }));
      saveFile(pdf as Blob, fileName);
    } catch (e) {
      setError(e);
    }
  };
  const list = [...(manifests.data ?? [])].sort((a, b) => b.Created.localeCompare(a.Created));
  return (
    <>
      <h1>Manifests</h1>
      <ErrorMessage error={manifests.error ?? error} />
      {manifests.data && list.length === 0 && <p>No manifest yet. Manifest allocated consignments from the “Not shipped” list or a consignment’s page.</p>}
      {list.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Manifests">
          <table>
            <caption class="visually-hidden">Manifests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Collection</th>
                <th scope="col">Carrier</th>
                <th scope="col">Shipping location</th>
                <th scope="col" class="num">
                  Consignments
                </th>
                <th scope="col">Created</th>
                <th scope="col">Carrier’s reference</th>
                <th scope="col">
                  <span class="visually-hidden">File</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <tr key={m.ManifestReference}>
                  <td>{formatDay(m.CollectionDate)}</td>
                  <td>{m.CarrierName}</td>
                  <td>{m.ShippingLocationName ?? m.ShippingLocationReference}</td>
                  <td class="num">{formatCount(m.BookingsCount)}</td>
                  <td>{formatInstant(m.Created)}</td>
                  <td class="code">{m.ManifestFileNameSentToCarrier}</td>
                  <td>
                    <button type="button" class="link" onClick={() => download(m.ManifestReference, m.ManifestFileName)} aria-label={`Download PDF: the manifest of ${m.CarrierName} for ${formatDay(m.CollectionDate)}`}>
                      Download PDF
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
