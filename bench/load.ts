/** Concurrent load over HTTP (autocannon), as the bench parts drive the server. */
import autocannon from 'autocannon';

/** The service the bench allocates to by name: the demo catalogue's. */
export const SERVICE = 'Example-Carrier-Service';

export function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** One Allocate With Carrier Service request per consignment of `refs`, 32 at a time. */
export function singleAllocations(url: string, key: string, refs: string[]): Promise<autocannon.Result> {
  let next = 0;
  return load({
    url,
    connections: 32,
    amount: refs.length,
    requests: [
      {
        method: 'PUT',
        path: '/allocation/allocatewithcarrierservice',
        headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': key },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ MpdCarrierServiceReference: SERVICE, ConsignmentReferences: [refs[next++ % refs.length]] }) }),
      },
    ],
  });
}
