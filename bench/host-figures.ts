/** What every bench part reads off the host beside its wall times: CPU used, CPU stolen, and numbers printed alike. */
import { readFileSync } from 'node:fs';

export const fmt = (n: number, d = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: d, minimumFractionDigits: d });

/** CPU seconds the process has used (user + system), from /proc: unlike wall time, not inflated by a busy or oversubscribed host. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The host's CPU time counters (/proc/stat), to pass to `stealShare` later. */
export function cpuStat(): number[] {
  return readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
}

/** The host's share of CPU time stolen by the hypervisor since `since` (from /proc/stat), to judge how far wall times can be trusted. */
export function stealShare(since: number[]): number {
  const delta = cpuStat().map((v, i) => v - (since[i] ?? 0));
  const total = delta.slice(0, 8).reduce((a, b) => a + b, 0);
  return total ? delta[7] / total : 0;
}

/**
 * The share of the host's CPU time (all cores) spent by processes other than the server and this
 * client since `since`: on a shared machine, what the wall times had to share the cores with (the
 * database server's own work counts here on PostgreSQL).
 */
export function othersShare(since: number[], serverSeconds: number, clientSeconds: number): number {
  const delta = cpuStat().map((v, i) => v - (since[i] ?? 0));
  const total = delta.slice(0, 8).reduce((a, b) => a + b, 0);
  const busy = total - delta[3] - delta[4] - delta[7];
  // /proc counts in USER_HZ, 100 per second.
  return total ? Math.max(0, busy - (serverSeconds + clientSeconds) * 100) / total : 0;
}
