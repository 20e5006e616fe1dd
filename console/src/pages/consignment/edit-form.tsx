/** Editing what allocation judges: the destination, the packages' weights and sizes, the tags (PUT /consignments). */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ok } from '../../api/client.ts';
import { updateRequest, type Consignment, type ConsignmentEdit } from '../../api/update-request.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useSession } from '../../session.tsx';
import type { Report } from '../consignment.tsx';

const ADDRESS_FIELDS = [
  ['FirstName', 'First name'],
  ['LastName', 'Last name'],
  ['CompanyName', 'Company'],
  ['AddressLine1', 'Address line 1'],
  ['AddressLine2', 'Address line 2'],
  ['AddressLine3', 'Address line 3'],
  ['Town', 'Town'],
  ['Region', 'Region'],
  ['Postcode', 'Postcode'],
  ['CountryCode', 'Country (ISO code)'],
] as const;

type Draft = Record<string, string>;

function draftOf(c: Consignment): Draft {
  const d = c.Addresses.find((a) => a.AddressType === 'Destination');
  const draft: Draft = {
    FirstName: d?.Contact?.FirstName ?? '',
    LastName: d?.Contact?.LastName ?? '',
    CompanyName: d?.CompanyName ?? '',
    AddressLine1: d?.AddressLine1 ?? '',
    AddressLine2: d?.AddressLine2 ?? '',
    AddressLine3: d?.AddressLine3 ?? '',
    Town: d?.Town ?? '',
    Region: d?.Region ?? '',
    Postcode: d?.Postcode ?? '',
    CountryCode: d?.Country?.IsoCode.TwoLetterCode ?? '',
    tags: c.Tags.join(', '),
  };
  for (const p of c.Packages) {
    draft[`${p.Reference}.Description`] = p.Description ?? '';
    draft[`${p.Reference}.Weight`] = p.Weight ? String(p.Weight.Value) : '';
    draft[`${p.Reference}.Length`] = p.Dimensions ? String(p.Dimensions.Length) : '';
    draft[`${p.Reference}.Width`] = p.Dimensions ? String(p.Dimensions.Width) : '';
    draft[`${p.Reference}.Height`] = p.Dimensions ? String(p.Dimensions.Height) : '';
  }
  return draft;
}

/** The form's values as an edit: text as typed (empty clears), numbers as numbers (the API refuses what is not one). */
function editOf(c: Consignment, draft: Draft): ConsignmentEdit {
  const text = (k: string) => (draft[k].trim() === '' ? null : draft[k].trim());
  const number = (k: string) => (draft[k].trim() === '' ? undefined : Number(draft[k]));
  const tags = draft.tags.split(',').map((t) => t.trim()).filter(Boolean);
  return {
    destination: {
      FirstName: text('FirstName'),
      LastName: text('LastName'),
      CompanyName: text('CompanyName'),
      AddressLine1: text('AddressLine1'),
      AddressLine2: text('AddressLine2'),
      AddressLine3: text('AddressLine3'),
      Town: text('Town'),
      Region: text('Region'),
      Postcode: text('Postcode'),
      CountryCode: draft.CountryCode.trim() || undefined,
    },
    packages: Object.fromEntries(
      c.Packages.map((p) => [
        p.Reference,
        {
          Description: text(`${p.Reference}.Description`),
          WeightKg: number(`${p.Reference}.Weight`),
          LengthCm: number(`${p.Reference}.Length`),
          WidthCm: number(`${p.Reference}.Width`),
          HeightCm: number(`${p.Reference}.Height`),
        },
      ]),
    ),
    tags: tags.length ? tags : undefined,
  };
}

export function EditForm({ consignment, report }: { consignment: Consignment; report: Report }) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => draftOf(consignment));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const closed = useRef(false);
  // Discarding gives the focus back to the button that opened the form.
  useEffect(() => {
    if (!open && closed.current) opener.current?.focus();
  }, [open]);
  const set = (k: string) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });

  const save = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await ok(api.PUT('/consignments', { body: updateRequest(consignment, editOf(consignment, draft)) }));
      setOpen(false);
      report({ ok: true, message: 'Saved. Allocate it again to use the changes.' });
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  const input = (k: string, label: string, props: Record<string, unknown> = {}) => (
    <div class="field">
      <label for={`e-${k}`}>{label}</label>
      <input id={`e-${k}`} value={draft[k]} onInput={set(k)} {...props} />
    </div>
  );

  return (
    <section aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit</h2>
      {!open ? (
        <button
          type="button"
          ref={opener}
          onClick={() => {
            setDraft(draftOf(consignment));
            setOpen(true);
          }}
        >
          Edit consignment
        </button>
      ) : (
        <form onSubmit={save} class="edit">
          <fieldset>
            <legend>Destination</legend>
            <div class="grid">{ADDRESS_FIELDS.map(([k, label]) => input(k, label, k === 'CountryCode' ? { maxLength: 2, size: 3 } : {}))}</div>
          </fieldset>
          {consignment.Packages.map((p, i) => (
            <fieldset key={p.Reference}>
              <legend>
                Package {i + 1} of {consignment.Packages.length} ({p.Reference})
              </legend>
              <div class="grid">
                {input(`${p.Reference}.Description`, 'Description')}
                {input(`${p.Reference}.Weight`, 'Weight (kg)', { inputMode: 'decimal' })}
                {input(`${p.Reference}.Length`, 'Length (cm)', { inputMode: 'decimal' })}
                {input(`${p.Reference}.Width`, 'Width (cm)', { inputMode: 'decimal' })}
                {input(`${p.Reference}.Height`, 'Height (cm)', { inputMode: 'decimal' })}
              </div>
            </fieldset>
          ))}
          <div class="field wide">
            <label for="e-tags">Tags (comma-separated)</label>
            <input id="e-tags" value={draft.tags} onInput={set('tags')} aria-describedby="e-tags-hint" />
            <p id="e-tags-hint" class="small muted">
              Tags given replace the current ones; with none given, the API keeps the current tags.
            </p>
          </div>
          <ErrorMessage error={error} title="Not saved" />
          <div class="actions">
            <button type="submit" disabled={saving}>
              {saving ? 'Saving…' : 'Save changes'}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                closed.current = true;
                setError(null);
                setOpen(false);
              }}
            >
              Discard
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
