/** What a leak report does to the reported key: disable it (default), soft-delete it, or only record the report. */
export const LEAK_POLICIES = ['disable', 'revoke', 'notify'] as const;
export type LeakPolicy = (typeof LEAK_POLICIES)[number];

export const isLeakPolicy = (value: unknown): value is LeakPolicy => (LEAK_POLICIES as readonly unknown[]).includes(value);
