/** What the consignment is: its addresses, packages, allocation and price. */
import type { Consignment } from '../../api/update-request.ts';
import { formatAmount, formatDay, formatInstant, formatKg, formatMoney } from '../../format.ts';
import { serviceName, useSession } from '../../session.tsx';

type Address = Consignment['Addresses'][number];

function AddressBlock({ address }: { address: Address }) {
  const contact = [address.Contact?.FirstName, address.Contact?.LastName].filter(Boolean).join(' ');
  const lines = [contact, address.CompanyName, address.AddressLine1, address.AddressLine2, address.AddressLine3, address.Town, address.Region, address.Postcode, address.Country?.Name ?? address.Country?.IsoCode.TwoLetterCode].filter(Boolean);
  return (
    <div class="address">
      <h3>{address.AddressType}</h3>
      {address.ShippingLocationReference && <p class="small muted">Shipping location {address.ShippingLocationReference}</p>}
      <address>
        {lines.map((l, i) => (
          <span key={i}>
            {l}
            <br />
          </span>
        ))}
      </address>
      {address.Contact?.Email && <p class="small">{address.Contact.Email}</p>}
    </div>
  );
}

export function Details({ consignment: c }: { consignment: Consignment }) {
  const { services } = useSession();
  const a = c.Allocation;
  return (
    <>
      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <dl class="facts">
          <dt>Created</dt>
          <dd>{formatInstant(c.DateCreated)}</dd>
          <dt>Shipping date</dt>
          <dd>{formatDay(c.ShippingDate, true) || 'As soon as possible'}</dd>
          {c.RequestedDeliveryDate && (
            <>
              <dt>Requested delivery</dt>
              <dd>
                {formatDay(c.RequestedDeliveryDate.Date)}
                {c.RequestedDeliveryDate.IsToBeExactlyOnTheDateSpecified ? ' (exactly)' : ' (at the latest)'}
              </dd>
            </>
          )}
          <dt>Weight</dt>
          <dd>{formatKg(c.Weight?.Value)}</dd>
          <dt>Value</dt>
          <dd>{formatMoney(c.Value)}</dd>
          <dt>Direction</dt>
          <dd>{c.Direction}</dd>
          <dt>Tags</dt>
          <dd>{c.Tags.length ? c.Tags.join(', ') : 'None'}</dd>
          <dt>Labels</dt>
          <dd>{c.LabelsPrinted ? `Printed ${formatInstant(c.DateLabelsWereFirstPrinted)}` : 'Not printed'}</dd>
        </dl>
      </section>
      {a && (
        <section aria-labelledby="allocation-heading">
          <h2 id="allocation-heading">Allocation</h2>
          <dl class="facts">
            <dt>Service</dt>
            <dd>
              {serviceName(services, a.MpdCarrierServiceReference)} <span class="muted small">({a.MpdCarrierServiceReference})</span>
            </dd>
            {a.MpdCarrierServiceGroupName && (
              <>
                <dt>Group</dt>
                <dd>{a.MpdCarrierServiceGroupName}</dd>
              </>
            )}
            <dt>Allocated</dt>
            <dd>{formatInstant(a.AllocationDate)}</dd>
            <dt>Price</dt>
            <dd>{a.Price ? `${formatAmount(a.Price.Gross, a.Price.Currency.IsoCode)} (${formatAmount(a.Price.Net, a.Price.Currency.IsoCode)} + ${formatAmount(a.Price.VatAmount, a.Price.Currency.IsoCode)} VAT)` : 'No rate card'}</dd>
            <dt>Collection</dt>
            <dd>{formatDay(c.CollectionDate, true)}</dd>
            <dt>Delivery</dt>
            <dd>
              {formatDay(c.EarliestDeliveryDate, true)}
              {c.LatestDeliveryDate && c.LatestDeliveryDate !== c.EarliestDeliveryDate ? ` – ${formatDay(c.LatestDeliveryDate, true)}` : ''}
            </dd>
          </dl>
          {c.ConsignmentLegs.length > 0 && (
            <div class="table-wrap" tabIndex={0} role="region" aria-label="Legs">
              <table>
                <caption>Legs</caption>
                <thead>
                  <tr>
                    <th scope="col">Leg</th>
                    <th scope="col">Carrier</th>
                    <th scope="col">Tracking references</th>
                  </tr>
                </thead>
                <tbody>
                  {c.ConsignmentLegs.map((leg) => (
                    <tr key={leg.Leg}>
                      <td>{leg.Leg}</td>
                      <td>{leg.CarrierName}</td>
                      <td class="code">{leg.TrackingReferences.join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      <section aria-labelledby="addresses-heading">
        <h2 id="addresses-heading">Addresses</h2>
        <div class="addresses">
          {c.Addresses.map((address) => (
            <AddressBlock key={address.AddressType} address={address} />
          ))}
        </div>
      </section>
      <section aria-labelledby="packages-heading">
        <h2 id="packages-heading">Packages</h2>
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="packages-heading">
          <table>
            <thead>
              <tr>
                <th scope="col">Package</th>
                <th scope="col">Description</th>
                <th scope="col" class="num">
                  Weight
                </th>
                <th scope="col" class="num">
                  Size (cm)
                </th>
                <th scope="col" class="num">
                  Value
                </th>
                <th scope="col" class="num">
                  Items
                </th>
              </tr>
            </thead>
            <tbody>
              {c.Packages.map((p) => (
                <tr key={p.Reference}>
                  <th scope="row">{p.Reference}</th>
                  <td>{p.Description}</td>
                  <td class="num">{formatKg(p.Weight?.Value)}</td>
                  <td class="num">{p.Dimensions ? `${p.Dimensions.Length} × ${p.Dimensions.Width} × ${p.Dimensions.Height}` : ''}</td>
                  <td class="num">{formatMoney(p.Value)}</td>
                  <td class="num">{p.Items.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
