import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseShipByDate } from '../../src/domain/ship-by-date.js';

const iso = (text: string, zone = 'Europe/London') => parseShipByDate(text, zone)?.toUTC().toISO({ suppressMilliseconds: true }) ?? null;

describe('ShipByDate as the SDK writes it', () => {
  it('reads ISO 8601 with and without an offset (without: in the location time zone)', () => {
    assert.equal(iso('2026-11-20T17:00:00+01:00'), '2026-11-20T16:00:00Z');
    assert.equal(iso('2026-11-20T17:00:00'), '2026-11-20T17:00:00Z');
    assert.equal(iso('2026-07-20T17:00:00'), '2026-07-20T16:00:00Z');
    assert.equal(iso('2026-11-20'), '2026-11-20T00:00:00Z');
  });

  it('reads en-GB DateTime.ToString() day first', () => {
    assert.equal(iso('14/03/2026 17:00:00'), '2026-03-14T17:00:00Z');
    assert.equal(iso('02/03/2026 17:00:00'), '2026-03-02T17:00:00Z');
    assert.equal(iso('2/3/2026'), '2026-03-02T00:00:00Z');
  });

  it('reads en-US DateTime.ToString() month first when it has AM/PM', () => {
    assert.equal(iso('3/14/2026 5:00:00 PM'), '2026-03-14T17:00:00Z');
    assert.equal(iso('3/2/2026 9:30:00 am'), '2026-03-02T09:30:00Z');
    assert.equal(iso('12/9/2026 12:00:00 AM'), '2026-12-09T00:00:00Z');
  });

  it('reads the invariant culture month first, and en-AU/en-IN 12-hour times day first, where the other reading is impossible', () => {
    assert.equal(iso('11/20/2026 17:00:00'), '2026-11-20T17:00:00Z');
    assert.equal(iso('20/11/2026 5:00:00 PM'), '2026-11-20T17:00:00Z');
  });

  it('refuses what is not a date', () => {
    for (const bad of ['', 'soon', '31/02/2026 10:00:00', '2026-13-01', '13/14/2026', '32/11/2026 5:00:00 PM']) assert.equal(iso(bad), null, bad);
  });
});
