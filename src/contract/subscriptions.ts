/** The admin API's bodies (decisions.md §7). */
import { Type } from '@sinclair/typebox';

export const CreateSubscriptionRequest = Type.Object({ Name: Type.String() });
