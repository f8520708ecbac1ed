/** Who is calling: the one identity model both transports build. */
export interface AccesskeyCaller {
  readonly kind: 'accesskey';
  readonly customerId: string;
  readonly accesskeyId: string;
}

export type Caller = AccesskeyCaller;

/** Handed explicitly to every service method by both transports. */
export interface RequestContext {
  readonly requestId: string;
  readonly caller: Caller;
}

/** The context operator commands run with: no HTTP request, full rights. */
export interface SystemContext {
  readonly requestId: string;
}
