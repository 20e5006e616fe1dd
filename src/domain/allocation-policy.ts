// PLACEHOLDER until branch issue3-rules merges (the interface agreed with it).
export interface AllocationRule { reference: string }
export interface AllocationPolicy { rules: readonly AllocationRule[]; serviceTags: ReadonlyMap<string, readonly string[]> }
export const EMPTY_POLICY: AllocationPolicy = { rules: [], serviceTags: new Map() };
