import { stateLabel, stateTone } from '../states.ts';

export function StateBadge({ state }: { state: string }) {
  return <span class={`badge tone-${stateTone(state)}`}>{stateLabel(state)}</span>;
}
