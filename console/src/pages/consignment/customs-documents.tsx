/** The customs documents (commercial invoice, CN22s, CN23s) of a consignment that crosses a customs border. */
import { ok } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useLoad } from '../../components/use-load.ts';
import { base64Blob, saveFile } from '../../download.ts';
import { useSession } from '../../session.tsx';

export function CustomsDocuments({ reference, version }: { reference: string; version: number }) {
  const { api } = useSession();
  const docs = useLoad((signal) => ok(api.GET('/consignments/docs/{reference}', { signal, params: { path: { reference } } })), [reference, version]);
  const files = docs.data ? [...docs.data.CommercialInvoiceDocuments, ...docs.data.CN22Documents, ...docs.data.CN23Documents] : [];
  return (
    <section aria-labelledby="customs-heading">
      <h2 id="customs-heading">Customs documents</h2>
      <ErrorMessage error={docs.error} />
      {docs.data && files.length === 0 && <p>None: it needs no customs documents.</p>}
      {files.length > 0 && (
        <ul>
          {files.map((f) => (
            <li key={f.Key}>
              <button type="button" class="link" onClick={() => saveFile(base64Blob(f.Value, 'application/pdf'), f.Key)}>
                {f.Key}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
