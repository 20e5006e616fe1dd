import { typed } from '../xml-codec.js';

export interface ApiLink {
  Rel: string;
  Href: string;
}

export function apiLink(rel: string, href: string): ApiLink {
  return typed('ApiLink', { Rel: rel, Href: href });
}

export function consignmentHref(baseUrl: string, reference: string): string {
  return `${baseUrl}/consignments/${reference}`;
}
