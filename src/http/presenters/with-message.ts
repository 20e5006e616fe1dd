import { typed } from '../xml-codec.js';
import type { ApiLink } from './api-link.js';

/** The SDK's WithMessage<string> list entry (XML: WithMessageOfString). */
export function withMessage(isSuccess: boolean, message: string, data: string, apiLinks: ApiLink[] | null = null): object {
  return typed('WithMessageOfString', { IsSuccess: isSuccess, Message: message, Data: data, ApiLinks: apiLinks });
}
