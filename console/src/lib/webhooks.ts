/**
 * The Create endpoint dialog's checks and the words for a delivery's state. Free of the DOM and
 * React so that Jest tests it (test/unit/console-logic.test.ts). The event types themselves come
 * from the API (`webhookEventTypes`), never from a list kept here.
 */

/** What `events` means when every event is wanted (the API's `*`). */
export const ALL_EVENTS = '*';

export interface WebhookForm {
  readonly url: string;
  /** Every event, now and later (`*`), instead of the ones chosen. */
  readonly allEvents: boolean;
  readonly events: readonly string[];
  readonly description: string;
}

export type WebhookField = 'url' | 'events';

export type WebhookResult =
  | { readonly ok: true; readonly input: { url: string; events: string[]; description: string } }
  | { readonly ok: false; readonly errors: Partial<Record<WebhookField, string>> };

/**
 * Checks the form's shape: a full http(s) URL and at least one event. Whether the URL may be used
 * (https only, public addresses) is the server's rule, shown as its refusal.
 */
export function parseWebhookForm(form: WebhookForm): WebhookResult {
  const errors: Partial<Record<WebhookField, string>> = {};
  const url = form.url.trim();
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (url === '') errors.url = 'Enter the URL that receives the events.';
  else if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || !parsed.hostname) {
    errors.url = 'Enter a full URL, such as https://example.com/webhooks.';
  }
  if (!form.allEvents && form.events.length === 0) errors.events = 'Choose at least one event, or all events.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { url, events: form.allEvents ? [ALL_EVENTS] : [...form.events], description: form.description.trim() } };
}

/** An endpoint's subscription in words. */
export const describeEvents = (events: readonly string[]): string => (events.includes(ALL_EVENTS) ? 'All events' : events.join(', '));

/** The words for a delivery's `WebhookDeliveryStatus`. */
export const DELIVERY_STATUS: Record<'PENDING' | 'DELIVERED' | 'FAILED', string> = {
  PENDING: 'Pending',
  DELIVERED: 'Delivered',
  FAILED: 'Failed',
};
