/** What the subscription allocates among: its services and their capabilities, its rules, groups, tags and package sizes. */
import { ok, type Answer } from '../api/client.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { useLoad, useTitle } from '../components/use-load.ts';
import { formatCount, formatKg } from '../format.ts';
import { serviceName, useSession } from '../session.tsx';

type Rule = Answer<'get', '/allocationrules'>[number];

/** A rule's conditions in words: "to GB, IE; postcodes IV, PA20; 0–30 kg". */
function conditionWords(c: Rule['Conditions']): string {
  const range = (min: number | null, max: number | null, unit: string) => (min === null && max === null ? null : `${min ?? 0}–${max ?? '∞'} ${unit}`);
  return [
    c.DestinationCountries.length ? `to ${c.DestinationCountries.join(', ')}` : null,
    c.DestinationPostcodes.length ? `postcodes ${c.DestinationPostcodes.join(', ')}` : null,
    range(c.MinWeightKg, c.MaxWeightKg, 'kg'),
    range(c.MinPackageLengthCm, c.MaxPackageLengthCm, 'cm long'),
    range(c.MinValue, c.MaxValue, c.Currency ?? ''),
    c.Directions.length ? c.Directions.join(', ') : null,
    c.Tags.length ? `tagged ${c.Tags.join(', ')}` : null,
  ]
    .filter(Boolean)
    .join('; ');
}

const list = (values: readonly string[] | null | undefined, none = '—') => (values && values.length ? values.join(', ') : none);

export function CataloguePage() {
  useTitle('Catalogue');
  const { api, services } = useSession();
  const rules = useLoad((signal) => ok(api.GET('/allocationrules', { signal })), []);
  const groups = useLoad((signal) => ok(api.GET('/serviceGroups', { signal })), []);
  const sizes = useLoad((signal) => ok(api.GET('/packageSizes', { signal })), []);
  return (
    <>
      <h1>Catalogue</h1>
      <nav aria-label="On this page" class="toc">
        <a href="#services">Services</a> · <a href="#rules">Allocation rules</a> · <a href="#groups">Service groups</a> · <a href="#sizes">Package sizes</a>
      </nav>
      <section aria-labelledby="services">
        <h2 id="services">Services ({formatCount(services.length)})</h2>
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="services">
          <table>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">From → to</th>
                <th scope="col">Weight per package</th>
                <th scope="col">Packages</th>
                <th scope="col">Longest side</th>
                <th scope="col">Value up to</th>
                <th scope="col">Transit, collection</th>
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {services.map((s) => {
                const c = s.Capabilities;
                return (
                  <tr key={s.Reference}>
                    <th scope="row">
                      {s.CarrierName} {s.Name}
                      <div class="small muted code">{s.Reference}</div>
                    </th>
                    <td>
                      {list(c.OriginCountries, 'anywhere')} → {list(c.DestinationCountries, 'anywhere')}
                      {c.ExcludedDestinationCountries.length + c.ExcludedPostcodes.length > 0 && <div class="small muted">not {[...c.ExcludedDestinationCountries, ...c.ExcludedPostcodes].join(', ')}</div>}
                    </td>
                    <td>
                      {formatKg(c.MinPackageWeightKg)} – {formatKg(c.MaxPackageWeightKg)}
                    </td>
                    <td>{c.MaxPackages ?? 'any'}</td>
                    <td>{c.MaxPackageLengthCm ? `${c.MaxPackageLengthCm} cm` : 'any'}</td>
                    <td>{c.MaxValue ? `${formatCount(c.MaxValue)} ${c.Currency ?? ''}` : 'any'}</td>
                    <td>
                      {c.TransitDays} day{c.TransitDays === 1 ? '' : 's'}; {list(c.CollectionDays)} {c.CutOffTime ? `by ${c.CutOffTime.slice(0, 5)}` : ''}
                    </td>
                    <td>{list(c.Tags, 'none')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="rules">
        <h2 id="rules">Allocation rules</h2>
        <ErrorMessage error={rules.error} />
        {rules.data && rules.data.length === 0 && <p>No rule: every enabled service may be chosen for any consignment it can carry.</p>}
        {rules.data && rules.data.length > 0 && (
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="rules">
            <table>
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Does</th>
                  <th scope="col">To consignments</th>
                </tr>
              </thead>
              <tbody>
                {rules.data.map((r) => (
                  <tr key={r.Reference}>
                    <th scope="row">
                      {r.Name} {!r.IsEnabled && <span class="badge tone-done">Off</span>}
                      <div class="small muted code">{r.Reference}</div>
                    </th>
                    <td>
                      {r.Action === 'Exclude' ? 'Keeps out' : 'Allows only'}{' '}
                      {r.MpdCarrierServiceReferences.length ? r.MpdCarrierServiceReferences.map((ref) => serviceName(services, ref)).join(', ') : 'every service'}
                    </td>
                    <td>{conditionWords(r.Conditions) || 'every consignment'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="groups">
        <h2 id="groups">Service groups</h2>
        <ErrorMessage error={groups.error} />
        {groups.data && groups.data.length === 0 && <p>No service group.</p>}
        {groups.data && groups.data.length > 0 && (
          <ul class="plain">
            {groups.data.map((g) => (
              <li key={g.Reference}>
                <strong>{g.Name}</strong> <span class="code small">{g.Reference}</span> {!g.IsEnabled && <span class="badge tone-done">Off</span>}
                <div>{g.MpdCarrierServiceProfiles.map((p) => `${p.MpdCarrierService.CarrierName} ${p.MpdCarrierService.Name}${p.IsEnabled ? '' : ' (not enabled)'}`).join(', ')}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="sizes">
        <h2 id="sizes">Package sizes</h2>
        <ErrorMessage error={sizes.error} />
        {sizes.data && (
          <ul class="plain">
            {sizes.data.map((p) => (
              <li key={p.Reference}>
                <strong>{p.Description ?? p.Reference}</strong> <span class="code small">{p.Reference}</span>: {p.Length} × {p.Width} × {p.Height} cm, {formatKg(p.Weight)}
                {p.IsDefault && ' (default)'}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
