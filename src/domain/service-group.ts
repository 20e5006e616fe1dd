// PLACEHOLDER until branch issue3-rules merges (the interface agreed with it).
export interface ServiceGroup { reference: string; name: string; isEnabled: boolean; serviceReferences: string[] }
