/** One consignment's outcome of a list endpoint, as the page shows it. */
export interface Outcome {
  ok: boolean;
  message: string;
  reasons?: { Code: string; Message: string }[];
}

/** The one item of an allocation endpoint's answer. */
export function actionOutcome(items: { IsSuccess: boolean; Message: string; FailureReasons?: { Code: string; Message: string }[] }[]): Outcome {
  const item = items[0];
  return { ok: item.IsSuccess, message: item.Message, reasons: item.FailureReasons };
}

/** The one item of a WithMessage list (ready to ship, manifest, dispatch). */
export function singleOutcome(items: { IsSuccess: boolean; Message: string | null }[]): Outcome {
  const item = items[0];
  return { ok: item.IsSuccess, message: item.Message ?? (item.IsSuccess ? 'Done' : 'Refused') };
}
