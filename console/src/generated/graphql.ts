/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A UTC timestamp in RFC 3339 form with microseconds, e.g. 2027-04-28T01:41:40.503790Z. */
  DateTime: { input: string; output: string; }
  /** A JSON object. */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
};

/** An API access key. The token itself is never shown here. */
export type Accesskey = {
  __typename?: 'Accesskey';
  /** The addresses (CIDRs) the key may be used from; null: anywhere. */
  allowedCidrs?: Maybe<Array<Scalars['String']['output']>>;
  /** A canary key never authorizes anything; each use of its token is refused like an unknown token and recorded (accesskey.canary_used). Only agents (customer admins, super admins) are told: for an access key caller it is false on every key, so a leaked key cannot tell the canaries apart. */
  canary: Scalars['Boolean']['output'];
  /** Null: unlimited uses. */
  credits?: Maybe<Credits>;
  customerId: Scalars['ID']['output'];
  detail: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The latest report that the key's token was found in public, which may be why the key was disabled or deleted; null if none. An access key caller sees null on canary keys (a reported canary stays enabled, and must not stand out). */
  leak?: Maybe<AccesskeyLeak>;
  /** The owner's free-form data (at most 4 KiB), returned by every verification of the key. */
  meta?: Maybe<Scalars['JSONObject']['output']>;
  name: Scalars['String']['output'];
  /** Null: no rate limit. */
  rateLimit?: Maybe<RateLimit>;
  /** The key this one was rotated from; null unless it was created by rotation. */
  rotatedFromId?: Maybe<Scalars['ID']['output']>;
  /** What the key may do: accesskeys:read, accesskeys:write, accesskeys:verify. */
  scopes: Array<Scalars['String']['output']>;
  tmCreate: Scalars['DateTime']['output'];
  /** Null while the key is live. */
  tmDelete?: Maybe<Scalars['DateTime']['output']>;
  /** When the key was disabled; null while it is enabled. */
  tmDisable?: Maybe<Scalars['DateTime']['output']>;
  tmExpire: Scalars['DateTime']['output'];
  /** When the key last authenticated, accurate to within a minute; null if never. */
  tmLastUsed?: Maybe<Scalars['DateTime']['output']>;
  tmUpdate: Scalars['DateTime']['output'];
  /** The first 11 characters of the token (vb_ + 8), to tell keys apart. */
  tokenPrefix: Scalars['String']['output'];
  /** Uses of this key. Uses counted per interval from since (inclusive) to until (exclusive), every interval listed; at most 31 days of HOUR or 400 of DAY. Counts are written in batches (USAGE_FLUSH_SECONDS), so the latest may not show yet. */
  usage: Array<UsageBucket>;
};


/** An API access key. The token itself is never shown here. */
export type AccesskeyUsageArgs = {
  interval?: UsageInterval;
  since: Scalars['DateTime']['input'];
  until: Scalars['DateTime']['input'];
};

export type AccesskeyConnection = {
  __typename?: 'AccesskeyConnection';
  edges: Array<AccesskeyEdge>;
  nodes: Array<Accesskey>;
  pageInfo: PageInfo;
};

export type AccesskeyEdge = {
  __typename?: 'AccesskeyEdge';
  cursor: Scalars['String']['output'];
  node: Accesskey;
};

/** Every condition given must hold. */
export type AccesskeyFilter = {
  /** Only keys expiring strictly before this time. */
  expiresBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Case-insensitive substring of the name, taken literally (% and _ are no wildcards); at most 255 characters. */
  nameContains?: InputMaybe<Scalars['String']['input']>;
  /** Absent: every key not deleted (expired and disabled included), as the list has always shown. */
  state?: InputMaybe<AccesskeyState>;
  /** Only keys never used, or last used strictly before this time (see tmLastUsed). */
  unusedSince?: InputMaybe<Scalars['DateTime']['input']>;
};

/** The latest report that the key's token was found in public (secret scanning). */
export type AccesskeyLeak = {
  __typename?: 'AccesskeyLeak';
  /** What kind of place it was found in (e.g. content, commit, issue_comment), as the reporter gave it. */
  source?: Maybe<Scalars['String']['output']>;
  /** When the report arrived. */
  tmReported: Scalars['DateTime']['output'];
  /** Where the token was found, as the reporter gave it. */
  url: Scalars['String']['output'];
};

/** A field left out stays as it is; null clears it. */
export type AccesskeyPolicyInput = {
  /** IPv4 and IPv6 CIDRs or plain addresses, at most 100; the key is refused from anywhere else (IP_NOT_ALLOWED). */
  allowedCidrs?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Setting credits also restarts the refill interval from now. */
  credits?: InputMaybe<CreditsInput>;
  /** Free-form data (a JSON object of at most 4 KiB), returned by every verification. */
  meta?: InputMaybe<Scalars['JSONObject']['input']>;
  rateLimit?: InputMaybe<RateLimitInput>;
};

/** Which keys a list shows. Expired and disabled overlap: a disabled key past its expiry is in both. */
export type AccesskeyState =
  /** Every key, deleted ones included. */
  | 'ALL'
  /** Deleted. */
  | 'DELETED'
  /** Not deleted, disabled (expired or not). */
  | 'DISABLED'
  /** Not deleted, expiry reached (disabled or not). */
  | 'EXPIRED'
  /** Not deleted, not disabled, not expired: the keys that authenticate. */
  | 'LIVE';

export type AccesskeyVerification = {
  __typename?: 'AccesskeyVerification';
  /** Null unless valid. */
  accesskeyId?: Maybe<Scalars['ID']['output']>;
  /** VALID, MALFORMED, NOT_FOUND, EXPIRED, DISABLED, DELETED, RATE_LIMITED, USAGE_EXCEEDED or IP_NOT_ALLOWED. */
  code: Scalars['String']['output'];
  /** Credits left after this use; null when the key has none. */
  creditsRemaining?: Maybe<Scalars['Int']['output']>;
  /** Null unless valid. */
  customerId?: Maybe<Scalars['ID']['output']>;
  /** The owner's free-form data on the key (null when none, or not usable). */
  meta?: Maybe<Scalars['JSONObject']['output']>;
  /** Null unless the key has a rate limit and was counted against it. */
  rateLimit?: Maybe<VerificationRateLimit>;
  /** Null unless valid. */
  scopes?: Maybe<Array<Scalars['String']['output']>>;
  /** Null unless valid. */
  tmExpire?: Maybe<Scalars['DateTime']['output']>;
  valid: Scalars['Boolean']['output'];
};

/** Who did it. Credentials appear only as their SHA-256 hex. */
export type AuditActorType = {
  __typename?: 'AuditActorType';
  /** The agent's or key's id. */
  id?: Maybe<Scalars['ID']['output']>;
  /** agent, accesskey, cli or system. */
  kind: Scalars['String']['output'];
  /** An agent's username, a key's display prefix, the operator's OS user, or the part of the server that acted. */
  name?: Maybe<Scalars['String']['output']>;
  /** SHA-256 hex of the credential used: a key's token hash, or a session token's hash. */
  tokenHash?: Maybe<Scalars['String']['output']>;
};

/** The verdict on the caller's customer's audit chain, recomputed from its checkpoint. */
export type AuditChainVerdict = {
  __typename?: 'AuditChainVerdict';
  /** Where the first broken link was found; null when ok. */
  brokenAtSeq?: Maybe<Scalars['Int']['output']>;
  /** How many events were checked (from the retention checkpoint on); null when broken. */
  events?: Maybe<Scalars['Int']['output']>;
  /** Every event links to the one before it and the chain ends at its recorded head. */
  ok: Scalars['Boolean']['output'];
  /** Why the link is broken; null when ok. */
  reason?: Maybe<Scalars['String']['output']>;
};

/** One entry of the tamper-evident audit trail. */
export type AuditEvent = {
  __typename?: 'AuditEvent';
  action: Scalars['String']['output'];
  actor: AuditActorType;
  /** The changed fields as they are now. */
  after?: Maybe<Scalars['JSONObject']['output']>;
  /** The changed fields as they were. */
  before?: Maybe<Scalars['JSONObject']['output']>;
  clientAddress?: Maybe<Scalars['String']['output']>;
  /** What else the action has on record (a leak's URL, a canary's route). */
  detail?: Maybe<Scalars['JSONObject']['output']>;
  /** SHA-256 of the previous hash and this event (hex). */
  hash: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The previous event's hash (64 zeros for the first). */
  prevHash: Scalars['String']['output'];
  requestId?: Maybe<Scalars['String']['output']>;
  /** Position in the customer's chain, from 1. */
  seq: Scalars['Int']['output'];
  /** The key or agent acted on. */
  targetId?: Maybe<Scalars['ID']['output']>;
  time: Scalars['DateTime']['output'];
  userAgent?: Maybe<Scalars['String']['output']>;
};

export type AuditEventConnection = {
  __typename?: 'AuditEventConnection';
  edges: Array<AuditEventEdge>;
  nodes: Array<AuditEvent>;
  pageInfo: AuditPageInfo;
};

export type AuditEventEdge = {
  __typename?: 'AuditEventEdge';
  cursor: Scalars['String']['output'];
  node: AuditEvent;
};

export type AuditEventFilter = {
  /** One of: accesskey.create, accesskey.update, accesskey.delete, accesskey.rotate, accesskey.disable, accesskey.enable, accesskey.leak_reported, accesskey.canary_used, agent.create, agent.delete, agent.password_set, auth.login, auth.login_failed, auth.logout, webhook.create, webhook.update, webhook.delete, webhook.rotate_secret, webhook.test, webhook.redeliver, webhook.disable. */
  action?: InputMaybe<Scalars['String']['input']>;
  /** Only events done with this credential (SHA-256 hex, e.g. a key's token hash as a leak report gives it). */
  actorTokenHash?: InputMaybe<Scalars['String']['input']>;
  /** Only events at or after this time. */
  since?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only events about this key or agent. */
  targetId?: InputMaybe<Scalars['ID']['input']>;
  /** Only events strictly before this time. */
  until?: InputMaybe<Scalars['DateTime']['input']>;
};

export type AuditPageInfo = {
  __typename?: 'AuditPageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** How the caller authenticated. */
export type CallerKind =
  | 'ACCESSKEY'
  | 'AGENT';

export type CreateAccesskeyInput = {
  /** IPv4 and IPv6 CIDRs or plain addresses the key may be used from; anywhere by default. */
  allowedCidrs?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Make a canary key: it never authorizes anything, and each use is recorded. Default false. */
  canary?: InputMaybe<Scalars['Boolean']['input']>;
  /** Uses left, optionally refilled; unlimited by default. */
  credits?: InputMaybe<CreditsInput>;
  detail?: InputMaybe<Scalars['String']['input']>;
  /** Lifetime in seconds from now. A key created by an access key expires no later than that key (the answer's tmExpire says when). */
  expire: Scalars['Int']['input'];
  /** Free-form data (a JSON object of at most 4 KiB), returned by every verification. */
  meta?: InputMaybe<Scalars['JSONObject']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** At most limit uses per window; none by default. */
  rateLimit?: InputMaybe<RateLimitInput>;
  /** accesskeys:read, accesskeys:write, accesskeys:verify; default read and write. Only scopes the caller holds; verify only by a super admin. */
  scopes?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type CreateAccesskeyPayload = {
  __typename?: 'CreateAccesskeyPayload';
  accesskey: Accesskey;
  /** The full token. It is shown only here and cannot be retrieved again. */
  token: Scalars['String']['output'];
};

export type CreateWebhookEndpointInput = {
  /** Super admins: the customer the endpoint is for (default: the caller's). */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  /** Event types to receive (e.g. accesskey.leak_reported); `*` for all. */
  events: Array<Scalars['String']['input']>;
  /** An https: URL that resolves to public addresses only. */
  url: Scalars['String']['input'];
};

export type CreateWebhookEndpointPayload = {
  __typename?: 'CreateWebhookEndpointPayload';
  endpoint: WebhookEndpoint;
  /** The signing secret (whsec_…). It is shown only here and cannot be retrieved again. */
  secret: Scalars['String']['output'];
};

/** Uses left; each use spends one, and a key with none left is refused (USAGE_EXCEEDED). */
export type Credits = {
  __typename?: 'Credits';
  refill?: Maybe<CreditsRefill>;
  /** As last written; a refill that is due happens at the next use. */
  remaining: Scalars['Int']['output'];
  /** When the credits were last refilled; null if never. */
  tmLastRefill?: Maybe<Scalars['DateTime']['output']>;
};

export type CreditsInput = {
  /** Absent or null: never refilled. */
  refill?: InputMaybe<CreditsRefillInput>;
  /** Uses left, 0 or more; each use spends one. */
  remaining: Scalars['Int']['input'];
};

export type CreditsRefill = {
  __typename?: 'CreditsRefill';
  /** What `remaining` is set to at each refill. */
  amount: Scalars['Int']['output'];
  interval: RefillInterval;
};

export type CreditsRefillInput = {
  /** What `remaining` is set to at each refill, at least 1. */
  amount: Scalars['Int']['input'];
  interval: RefillInterval;
};

export type Me = {
  __typename?: 'Me';
  /** Set when the caller is an access key. */
  accesskeyId?: Maybe<Scalars['ID']['output']>;
  /** Set when the caller is an agent (session token). */
  agentId?: Maybe<Scalars['ID']['output']>;
  /** Every action this caller may take, among accesskeys:read, accesskeys:write, accesskeys:verify, audit:read, canaries:read, webhooks:manage (what a frontend offers). */
  allowedActions: Array<Scalars['String']['output']>;
  customerId: Scalars['ID']['output'];
  /** The scopes this caller may give a new key (only those it holds; accesskeys:verify only a super admin agent). */
  grantableScopes: Array<Scalars['String']['output']>;
  kind: CallerKind;
  /** Permission bit flags (an access key acts as customer admin, 0x0020). */
  permission: Scalars['Int']['output'];
  /** Names of the permission bits, e.g. CUSTOMER_ADMIN. */
  permissions: Array<Scalars['String']['output']>;
  username?: Maybe<Scalars['String']['output']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  createAccesskey: CreateAccesskeyPayload;
  /** Registers an endpoint; the answer holds its signing secret, shown only here. */
  createWebhookEndpoint: CreateWebhookEndpointPayload;
  deleteAccesskey: Accesskey;
  /** Deletes the endpoint and its deliveries. */
  deleteWebhookEndpoint: WebhookEndpoint;
  /** Stops a key from authenticating until it is enabled again. */
  disableAccesskey: Accesskey;
  /** Lets a disabled key authenticate again. A deleted key cannot be enabled. */
  enableAccesskey: Accesskey;
  /** Queues a delivery again from its first attempt, with the same webhook-id. */
  redeliverWebhook: WebhookDelivery;
  /** Replaces a key by a new one with the same name, detail and lifetime length (counted from now). The old key keeps working for gracePeriod seconds at most. */
  rotateAccesskey: RotateAccesskeyPayload;
  /** A new signing secret; during the grace period each delivery carries both signatures. */
  rotateWebhookSecret: RotateWebhookSecretPayload;
  /** Queues a webhook.test event to this endpoint only. */
  sendTestWebhook: WebhookDelivery;
  /** Sets or (with null) clears each part of a key's usage policy; parts left out stay. A key may not change its own. */
  setAccesskeyPolicy: Accesskey;
  updateAccesskey: Accesskey;
  updateWebhookEndpoint: WebhookEndpoint;
  /** Checks any customer's token for a service holding accesskeys:verify; counts as a use of the key. */
  verifyAccesskey: AccesskeyVerification;
};


export type MutationCreateAccesskeyArgs = {
  input: CreateAccesskeyInput;
};


export type MutationCreateWebhookEndpointArgs = {
  input: CreateWebhookEndpointInput;
};


export type MutationDeleteAccesskeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDisableAccesskeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationEnableAccesskeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRedeliverWebhookArgs = {
  deliveryId: Scalars['ID']['input'];
};


export type MutationRotateAccesskeyArgs = {
  gracePeriod?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


export type MutationRotateWebhookSecretArgs = {
  gracePeriod?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


export type MutationSendTestWebhookArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetAccesskeyPolicyArgs = {
  id: Scalars['ID']['input'];
  input: AccesskeyPolicyInput;
};


export type MutationUpdateAccesskeyArgs = {
  id: Scalars['ID']['input'];
  input: UpdateAccesskeyInput;
};


export type MutationUpdateWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
  input: UpdateWebhookEndpointInput;
};


export type MutationVerifyAccesskeyArgs = {
  clientIp?: InputMaybe<Scalars['String']['input']>;
  token: Scalars['String']['input'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  accesskey?: Maybe<Accesskey>;
  /** The caller's access keys, newest first: by default those not deleted (expired and disabled included). A cursor is valid for the same filter. */
  accesskeys: AccesskeyConnection;
  /** Every action the audit trail records (the choices of `AuditEventFilter.action`), so a frontend never keeps its own copy. */
  auditActions: Array<Scalars['String']['output']>;
  /** Recomputes the caller's customer's audit chain from its checkpoint and says whether it holds. Reads every event kept: the cost grows with the trail. For agents with the customer admin or super admin permission. */
  auditChain: AuditChainVerdict;
  /** The audit trail of the caller's customer, newest first. For agents with the customer admin or super admin permission. A cursor is valid for the same filter. */
  auditEvents: AuditEventConnection;
  /** Who is calling: an access key or an agent, with its permissions. */
  me: Me;
  /** Uses of all the caller's keys. Uses counted per interval from since (inclusive) to until (exclusive), every interval listed; at most 31 days of HOUR or 400 of DAY. Counts are written in batches (USAGE_FLUSH_SECONDS), so the latest may not show yet. */
  usage: Array<UsageBucket>;
  /** An endpoint's deliveries, newest first. */
  webhookDeliveries: WebhookDeliveryConnection;
  /** One endpoint of the customer (NOT_FOUND for any other). */
  webhookEndpoint: WebhookEndpoint;
  /** The customer's webhook endpoints, newest first. */
  webhookEndpoints: WebhookEndpointConnection;
  /** Every event type an endpoint may subscribe to (`*` subscribes to all of them), so a frontend never keeps its own copy. */
  webhookEventTypes: Array<Scalars['String']['output']>;
};


export type QueryAccesskeyArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAccesskeysArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AccesskeyFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAuditEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AuditEventFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryUsageArgs = {
  interval?: UsageInterval;
  since: Scalars['DateTime']['input'];
  until: Scalars['DateTime']['input'];
};


export type QueryWebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  endpointId: Scalars['ID']['input'];
  filter?: InputMaybe<WebhookDeliveryFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWebhookEndpointsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** At most `limit` uses per window of `windowSeconds` (fixed windows aligned to the epoch). */
export type RateLimit = {
  __typename?: 'RateLimit';
  limit: Scalars['Int']['output'];
  windowSeconds: Scalars['Int']['output'];
};

export type RateLimitInput = {
  /** Uses allowed per window, 1 to 1,000,000,000. */
  limit: Scalars['Int']['input'];
  /** The window, 1 to 2,592,000 seconds (30 days). */
  windowSeconds: Scalars['Int']['input'];
};

/** DAILY: one day after the last refill; MONTHLY: one calendar month after it (UTC). */
export type RefillInterval =
  | 'DAILY'
  | 'MONTHLY';

export type RotateAccesskeyPayload = {
  __typename?: 'RotateAccesskeyPayload';
  /** The new key. */
  accesskey: Accesskey;
  /** The old key; it works until its tmExpire (the end of the grace period at the latest). */
  previous: Accesskey;
  /** The new key's full token. It is shown only here and cannot be retrieved again. */
  token: Scalars['String']['output'];
};

export type RotateWebhookSecretPayload = {
  __typename?: 'RotateWebhookSecretPayload';
  endpoint: WebhookEndpoint;
  /** The new signing secret. It is shown only here; the old one also signs until the grace period ends. */
  secret: Scalars['String']['output'];
};

export type UpdateAccesskeyInput = {
  detail?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateWebhookEndpointInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** false enables a disabled endpoint again (its failure streak starts over). */
  disabled?: InputMaybe<Scalars['Boolean']['input']>;
  events?: InputMaybe<Array<Scalars['String']['input']>>;
  url?: InputMaybe<Scalars['String']['input']>;
};

/** Uses counted in one interval, by outcome. */
export type UsageBucket = {
  __typename?: 'UsageBucket';
  ipNotAllowed: Scalars['Int']['output'];
  /** Uses while the key was disabled, expired or deleted. */
  other: Scalars['Int']['output'];
  rateLimited: Scalars['Int']['output'];
  start: Scalars['DateTime']['output'];
  usageExceeded: Scalars['Int']['output'];
  valid: Scalars['Int']['output'];
};

/** UTC hours or UTC days. */
export type UsageInterval =
  | 'DAY'
  | 'HOUR';

/** The key's rate-limit window after this use. */
export type VerificationRateLimit = {
  __typename?: 'VerificationRateLimit';
  limit: Scalars['Int']['output'];
  remaining: Scalars['Int']['output'];
  /** Seconds until the window resets. */
  reset: Scalars['Int']['output'];
};

/** One event for one endpoint; its id is the `webhook-id` header, the same on every attempt. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  attempts: Scalars['Int']['output'];
  endpointId: Scalars['ID']['output'];
  eventType: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  /** The first 1 KiB of the last answer body. */
  lastResponse?: Maybe<Scalars['String']['output']>;
  lastStatusCode?: Maybe<Scalars['Int']['output']>;
  status: WebhookDeliveryStatus;
  tmCreate: Scalars['DateTime']['output'];
  tmDelivered?: Maybe<Scalars['DateTime']['output']>;
  tmNextAttempt?: Maybe<Scalars['DateTime']['output']>;
};

export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  edges: Array<WebhookDeliveryEdge>;
  nodes: Array<WebhookDelivery>;
  pageInfo: WebhookPageInfo;
};

export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  cursor: Scalars['String']['output'];
  node: WebhookDelivery;
};

export type WebhookDeliveryFilter = {
  status?: InputMaybe<WebhookDeliveryStatus>;
};

/** PENDING: waiting for an attempt; DELIVERED: answered 2xx; FAILED: retries exhausted. */
export type WebhookDeliveryStatus =
  | 'DELIVERED'
  | 'FAILED'
  | 'PENDING';

/** Where the customer receives signed events. The signing secret is never shown here. */
export type WebhookEndpoint = {
  __typename?: 'WebhookEndpoint';
  customerId: Scalars['ID']['output'];
  description: Scalars['String']['output'];
  disabled: Scalars['Boolean']['output'];
  /** The event types it receives; `*` means all. */
  events: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  tmCreate: Scalars['DateTime']['output'];
  tmDisable?: Maybe<Scalars['DateTime']['output']>;
  tmUpdate: Scalars['DateTime']['output'];
  url: Scalars['String']['output'];
};

export type WebhookEndpointConnection = {
  __typename?: 'WebhookEndpointConnection';
  edges: Array<WebhookEndpointEdge>;
  nodes: Array<WebhookEndpoint>;
  pageInfo: WebhookPageInfo;
};

export type WebhookEndpointEdge = {
  __typename?: 'WebhookEndpointEdge';
  cursor: Scalars['String']['output'];
  node: WebhookEndpoint;
};

export type WebhookPageInfo = {
  __typename?: 'WebhookPageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type ConsoleMeQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleMeQuery = { __typename?: 'Query', me: { __typename?: 'Me', kind: CallerKind, customerId: string, username?: string | null, permissions: Array<string>, grantableScopes: Array<string>, allowedActions: Array<string> } };

export type ConsoleKeyFragment = { __typename?: 'Accesskey', id: string, name: string, detail: string, tokenPrefix: string, scopes: Array<string>, canary: boolean, tmCreate: string, tmUpdate: string, tmExpire: string, tmDisable?: string | null, tmDelete?: string | null, tmLastUsed?: string | null, rotatedFromId?: string | null };

export type ConsoleKeysQueryVariables = Exact<{
  filter?: InputMaybe<AccesskeyFilter>;
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type ConsoleKeysQuery = { __typename?: 'Query', accesskeys: { __typename?: 'AccesskeyConnection', nodes: Array<{ __typename?: 'Accesskey', id: string, name: string, detail: string, tokenPrefix: string, scopes: Array<string>, canary: boolean, tmCreate: string, tmUpdate: string, tmExpire: string, tmDisable?: string | null, tmDelete?: string | null, tmLastUsed?: string | null, rotatedFromId?: string | null }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type ConsolePolicyFragment = { __typename?: 'Accesskey', allowedCidrs?: Array<string> | null, rateLimit?: { __typename?: 'RateLimit', limit: number, windowSeconds: number } | null, credits?: { __typename?: 'Credits', remaining: number, tmLastRefill?: string | null, refill?: { __typename?: 'CreditsRefill', amount: number, interval: RefillInterval } | null } | null };

export type ConsoleKeyQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleKeyQuery = { __typename?: 'Query', accesskey?: { __typename?: 'Accesskey', id: string, name: string, detail: string, tokenPrefix: string, scopes: Array<string>, canary: boolean, tmCreate: string, tmUpdate: string, tmExpire: string, tmDisable?: string | null, tmDelete?: string | null, tmLastUsed?: string | null, rotatedFromId?: string | null, allowedCidrs?: Array<string> | null, leak?: { __typename?: 'AccesskeyLeak', tmReported: string, url: string, source?: string | null } | null, rateLimit?: { __typename?: 'RateLimit', limit: number, windowSeconds: number } | null, credits?: { __typename?: 'Credits', remaining: number, tmLastRefill?: string | null, refill?: { __typename?: 'CreditsRefill', amount: number, interval: RefillInterval } | null } | null } | null };

export type ConsoleKeyUsageQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  since: Scalars['DateTime']['input'];
  until: Scalars['DateTime']['input'];
}>;


export type ConsoleKeyUsageQuery = { __typename?: 'Query', accesskey?: { __typename?: 'Accesskey', id: string, usage: Array<{ __typename?: 'UsageBucket', start: string, valid: number, rateLimited: number, usageExceeded: number, ipNotAllowed: number, other: number }> } | null };

export type ConsoleSetPolicyMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  input: AccesskeyPolicyInput;
}>;


export type ConsoleSetPolicyMutation = { __typename?: 'Mutation', setAccesskeyPolicy: { __typename?: 'Accesskey', id: string, name: string, detail: string, tokenPrefix: string, scopes: Array<string>, canary: boolean, tmCreate: string, tmUpdate: string, tmExpire: string, tmDisable?: string | null, tmDelete?: string | null, tmLastUsed?: string | null, rotatedFromId?: string | null, allowedCidrs?: Array<string> | null, rateLimit?: { __typename?: 'RateLimit', limit: number, windowSeconds: number } | null, credits?: { __typename?: 'Credits', remaining: number, tmLastRefill?: string | null, refill?: { __typename?: 'CreditsRefill', amount: number, interval: RefillInterval } | null } | null } };

export type ConsoleCreateKeyMutationVariables = Exact<{
  input: CreateAccesskeyInput;
}>;


export type ConsoleCreateKeyMutation = { __typename?: 'Mutation', createAccesskey: { __typename?: 'CreateAccesskeyPayload', token: string, accesskey: { __typename?: 'Accesskey', id: string, name: string, detail: string, tokenPrefix: string, scopes: Array<string>, canary: boolean, tmCreate: string, tmUpdate: string, tmExpire: string, tmDisable?: string | null, tmDelete?: string | null, tmLastUsed?: string | null, rotatedFromId?: string | null } } };

export type ConsoleRotateKeyMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  gracePeriod?: InputMaybe<Scalars['Int']['input']>;
}>;


export type ConsoleRotateKeyMutation = { __typename?: 'Mutation', rotateAccesskey: { __typename?: 'RotateAccesskeyPayload', token: string, accesskey: { __typename?: 'Accesskey', id: string, name: string, detail: string, tokenPrefix: string, scopes: Array<string>, canary: boolean, tmCreate: string, tmUpdate: string, tmExpire: string, tmDisable?: string | null, tmDelete?: string | null, tmLastUsed?: string | null, rotatedFromId?: string | null } } };

export type ConsoleDisableKeyMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleDisableKeyMutation = { __typename?: 'Mutation', disableAccesskey: { __typename?: 'Accesskey', id: string, name: string, detail: string, tokenPrefix: string, scopes: Array<string>, canary: boolean, tmCreate: string, tmUpdate: string, tmExpire: string, tmDisable?: string | null, tmDelete?: string | null, tmLastUsed?: string | null, rotatedFromId?: string | null } };

export type ConsoleEnableKeyMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleEnableKeyMutation = { __typename?: 'Mutation', enableAccesskey: { __typename?: 'Accesskey', id: string, name: string, detail: string, tokenPrefix: string, scopes: Array<string>, canary: boolean, tmCreate: string, tmUpdate: string, tmExpire: string, tmDisable?: string | null, tmDelete?: string | null, tmLastUsed?: string | null, rotatedFromId?: string | null } };

export type ConsoleDeleteKeyMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleDeleteKeyMutation = { __typename?: 'Mutation', deleteAccesskey: { __typename?: 'Accesskey', id: string, name: string, detail: string, tokenPrefix: string, scopes: Array<string>, canary: boolean, tmCreate: string, tmUpdate: string, tmExpire: string, tmDisable?: string | null, tmDelete?: string | null, tmLastUsed?: string | null, rotatedFromId?: string | null } };

export type ConsoleAuditQueryVariables = Exact<{
  filter?: InputMaybe<AuditEventFilter>;
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type ConsoleAuditQuery = { __typename?: 'Query', auditEvents: { __typename?: 'AuditEventConnection', nodes: Array<{ __typename?: 'AuditEvent', id: string, seq: number, time: string, action: string, targetId?: string | null, requestId?: string | null, clientAddress?: string | null, before?: Record<string, unknown> | null, after?: Record<string, unknown> | null, detail?: Record<string, unknown> | null, actor: { __typename?: 'AuditActorType', kind: string, name?: string | null } }>, pageInfo: { __typename?: 'AuditPageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type ConsoleAuditActionsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleAuditActionsQuery = { __typename?: 'Query', auditActions: Array<string> };

export type ConsoleAuditChainQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleAuditChainQuery = { __typename?: 'Query', auditChain: { __typename?: 'AuditChainVerdict', ok: boolean, events?: number | null, brokenAtSeq?: number | null, reason?: string | null } };

export type ConsoleWebhookEndpointFragment = { __typename?: 'WebhookEndpoint', id: string, url: string, events: Array<string>, description: string, disabled: boolean, tmCreate: string, tmDisable?: string | null };

export type ConsoleWebhookDeliveryFragment = { __typename?: 'WebhookDelivery', id: string, eventType: string, status: WebhookDeliveryStatus, attempts: number, lastStatusCode?: number | null, lastError?: string | null, tmCreate: string, tmNextAttempt?: string | null, tmDelivered?: string | null };

export type ConsoleWebhooksQueryVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleWebhooksQuery = { __typename?: 'Query', webhookEventTypes: Array<string>, webhookEndpoints: { __typename?: 'WebhookEndpointConnection', nodes: Array<{ __typename?: 'WebhookEndpoint', id: string, url: string, events: Array<string>, description: string, disabled: boolean, tmCreate: string, tmDisable?: string | null }>, pageInfo: { __typename?: 'WebhookPageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type ConsoleWebhookDeliveriesQueryVariables = Exact<{
  endpointId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleWebhookDeliveriesQuery = { __typename?: 'Query', webhookEndpoint: { __typename?: 'WebhookEndpoint', id: string, url: string, events: Array<string>, description: string, disabled: boolean, tmCreate: string, tmDisable?: string | null }, webhookDeliveries: { __typename?: 'WebhookDeliveryConnection', nodes: Array<{ __typename?: 'WebhookDelivery', id: string, eventType: string, status: WebhookDeliveryStatus, attempts: number, lastStatusCode?: number | null, lastError?: string | null, tmCreate: string, tmNextAttempt?: string | null, tmDelivered?: string | null }>, pageInfo: { __typename?: 'WebhookPageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type ConsoleCreateWebhookMutationVariables = Exact<{
  input: CreateWebhookEndpointInput;
}>;


export type ConsoleCreateWebhookMutation = { __typename?: 'Mutation', createWebhookEndpoint: { __typename?: 'CreateWebhookEndpointPayload', secret: string, endpoint: { __typename?: 'WebhookEndpoint', id: string, url: string, events: Array<string>, description: string, disabled: boolean, tmCreate: string, tmDisable?: string | null } } };

export type ConsoleDeleteWebhookMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleDeleteWebhookMutation = { __typename?: 'Mutation', deleteWebhookEndpoint: { __typename?: 'WebhookEndpoint', id: string } };

export type ConsoleSendTestWebhookMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleSendTestWebhookMutation = { __typename?: 'Mutation', sendTestWebhook: { __typename?: 'WebhookDelivery', id: string, eventType: string, status: WebhookDeliveryStatus, attempts: number, lastStatusCode?: number | null, lastError?: string | null, tmCreate: string, tmNextAttempt?: string | null, tmDelivered?: string | null } };

export type ConsoleRedeliverWebhookMutationVariables = Exact<{
  deliveryId: Scalars['ID']['input'];
}>;


export type ConsoleRedeliverWebhookMutation = { __typename?: 'Mutation', redeliverWebhook: { __typename?: 'WebhookDelivery', id: string, eventType: string, status: WebhookDeliveryStatus, attempts: number, lastStatusCode?: number | null, lastError?: string | null, tmCreate: string, tmNextAttempt?: string | null, tmDelivered?: string | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ConsoleKeyFragmentDoc = new TypedDocumentString(`
    fragment ConsoleKey on Accesskey {
  id
  name
  detail
  tokenPrefix
  scopes
  canary
  tmCreate
  tmUpdate
  tmExpire
  tmDisable
  tmDelete
  tmLastUsed
  rotatedFromId
}
    `, {"fragmentName":"ConsoleKey"}) as unknown as TypedDocumentString<ConsoleKeyFragment, unknown>;
export const ConsolePolicyFragmentDoc = new TypedDocumentString(`
    fragment ConsolePolicy on Accesskey {
  rateLimit {
    limit
    windowSeconds
  }
  credits {
    remaining
    refill {
      amount
      interval
    }
    tmLastRefill
  }
  allowedCidrs
}
    `, {"fragmentName":"ConsolePolicy"}) as unknown as TypedDocumentString<ConsolePolicyFragment, unknown>;
export const ConsoleWebhookEndpointFragmentDoc = new TypedDocumentString(`
    fragment ConsoleWebhookEndpoint on WebhookEndpoint {
  id
  url
  events
  description
  disabled
  tmCreate
  tmDisable
}
    `, {"fragmentName":"ConsoleWebhookEndpoint"}) as unknown as TypedDocumentString<ConsoleWebhookEndpointFragment, unknown>;
export const ConsoleWebhookDeliveryFragmentDoc = new TypedDocumentString(`
    fragment ConsoleWebhookDelivery on WebhookDelivery {
  id
  eventType
  status
  attempts
  lastStatusCode
  lastError
  tmCreate
  tmNextAttempt
  tmDelivered
}
    `, {"fragmentName":"ConsoleWebhookDelivery"}) as unknown as TypedDocumentString<ConsoleWebhookDeliveryFragment, unknown>;
export const ConsoleMeDocument = new TypedDocumentString(`
    query ConsoleMe {
  me {
    kind
    customerId
    username
    permissions
    grantableScopes
    allowedActions
  }
}
    `) as unknown as TypedDocumentString<ConsoleMeQuery, ConsoleMeQueryVariables>;
export const ConsoleKeysDocument = new TypedDocumentString(`
    query ConsoleKeys($filter: AccesskeyFilter, $after: String, $first: Int) {
  accesskeys(filter: $filter, after: $after, first: $first) {
    nodes {
      ...ConsoleKey
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment ConsoleKey on Accesskey {
  id
  name
  detail
  tokenPrefix
  scopes
  canary
  tmCreate
  tmUpdate
  tmExpire
  tmDisable
  tmDelete
  tmLastUsed
  rotatedFromId
}`) as unknown as TypedDocumentString<ConsoleKeysQuery, ConsoleKeysQueryVariables>;
export const ConsoleKeyDocument = new TypedDocumentString(`
    query ConsoleKey($id: ID!) {
  accesskey(id: $id) {
    ...ConsoleKey
    ...ConsolePolicy
    leak {
      tmReported
      url
      source
    }
  }
}
    fragment ConsoleKey on Accesskey {
  id
  name
  detail
  tokenPrefix
  scopes
  canary
  tmCreate
  tmUpdate
  tmExpire
  tmDisable
  tmDelete
  tmLastUsed
  rotatedFromId
}
fragment ConsolePolicy on Accesskey {
  rateLimit {
    limit
    windowSeconds
  }
  credits {
    remaining
    refill {
      amount
      interval
    }
    tmLastRefill
  }
  allowedCidrs
}`) as unknown as TypedDocumentString<ConsoleKeyQuery, ConsoleKeyQueryVariables>;
export const ConsoleKeyUsageDocument = new TypedDocumentString(`
    query ConsoleKeyUsage($id: ID!, $since: DateTime!, $until: DateTime!) {
  accesskey(id: $id) {
    id
    usage(since: $since, until: $until, interval: HOUR) {
      start
      valid
      rateLimited
      usageExceeded
      ipNotAllowed
      other
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleKeyUsageQuery, ConsoleKeyUsageQueryVariables>;
export const ConsoleSetPolicyDocument = new TypedDocumentString(`
    mutation ConsoleSetPolicy($id: ID!, $input: AccesskeyPolicyInput!) {
  setAccesskeyPolicy(id: $id, input: $input) {
    ...ConsoleKey
    ...ConsolePolicy
  }
}
    fragment ConsoleKey on Accesskey {
  id
  name
  detail
  tokenPrefix
  scopes
  canary
  tmCreate
  tmUpdate
  tmExpire
  tmDisable
  tmDelete
  tmLastUsed
  rotatedFromId
}
fragment ConsolePolicy on Accesskey {
  rateLimit {
    limit
    windowSeconds
  }
  credits {
    remaining
    refill {
      amount
      interval
    }
    tmLastRefill
  }
  allowedCidrs
}`) as unknown as TypedDocumentString<ConsoleSetPolicyMutation, ConsoleSetPolicyMutationVariables>;
export const ConsoleCreateKeyDocument = new TypedDocumentString(`
    mutation ConsoleCreateKey($input: CreateAccesskeyInput!) {
  createAccesskey(input: $input) {
    token
    accesskey {
      ...ConsoleKey
    }
  }
}
    fragment ConsoleKey on Accesskey {
  id
  name
  detail
  tokenPrefix
  scopes
  canary
  tmCreate
  tmUpdate
  tmExpire
  tmDisable
  tmDelete
  tmLastUsed
  rotatedFromId
}`) as unknown as TypedDocumentString<ConsoleCreateKeyMutation, ConsoleCreateKeyMutationVariables>;
export const ConsoleRotateKeyDocument = new TypedDocumentString(`
    mutation ConsoleRotateKey($id: ID!, $gracePeriod: Int) {
  rotateAccesskey(id: $id, gracePeriod: $gracePeriod) {
    token
    accesskey {
      ...ConsoleKey
    }
  }
}
    fragment ConsoleKey on Accesskey {
  id
  name
  detail
  tokenPrefix
  scopes
  canary
  tmCreate
  tmUpdate
  tmExpire
  tmDisable
  tmDelete
  tmLastUsed
  rotatedFromId
}`) as unknown as TypedDocumentString<ConsoleRotateKeyMutation, ConsoleRotateKeyMutationVariables>;
export const ConsoleDisableKeyDocument = new TypedDocumentString(`
    mutation ConsoleDisableKey($id: ID!) {
  disableAccesskey(id: $id) {
    ...ConsoleKey
  }
}
    fragment ConsoleKey on Accesskey {
  id
  name
  detail
  tokenPrefix
  scopes
  canary
  tmCreate
  tmUpdate
  tmExpire
  tmDisable
  tmDelete
  tmLastUsed
  rotatedFromId
}`) as unknown as TypedDocumentString<ConsoleDisableKeyMutation, ConsoleDisableKeyMutationVariables>;
export const ConsoleEnableKeyDocument = new TypedDocumentString(`
    mutation ConsoleEnableKey($id: ID!) {
  enableAccesskey(id: $id) {
    ...ConsoleKey
  }
}
    fragment ConsoleKey on Accesskey {
  id
  name
  detail
  tokenPrefix
  scopes
  canary
  tmCreate
  tmUpdate
  tmExpire
  tmDisable
  tmDelete
  tmLastUsed
  rotatedFromId
}`) as unknown as TypedDocumentString<ConsoleEnableKeyMutation, ConsoleEnableKeyMutationVariables>;
export const ConsoleDeleteKeyDocument = new TypedDocumentString(`
    mutation ConsoleDeleteKey($id: ID!) {
  deleteAccesskey(id: $id) {
    ...ConsoleKey
  }
}
    fragment ConsoleKey on Accesskey {
  id
  name
  detail
  tokenPrefix
  scopes
  canary
  tmCreate
  tmUpdate
  tmExpire
  tmDisable
  tmDelete
  tmLastUsed
  rotatedFromId
}`) as unknown as TypedDocumentString<ConsoleDeleteKeyMutation, ConsoleDeleteKeyMutationVariables>;
export const ConsoleAuditDocument = new TypedDocumentString(`
    query ConsoleAudit($filter: AuditEventFilter, $after: String, $first: Int) {
  auditEvents(filter: $filter, after: $after, first: $first) {
    nodes {
      id
      seq
      time
      action
      targetId
      actor {
        kind
        name
      }
      requestId
      clientAddress
      before
      after
      detail
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleAuditQuery, ConsoleAuditQueryVariables>;
export const ConsoleAuditActionsDocument = new TypedDocumentString(`
    query ConsoleAuditActions {
  auditActions
}
    `) as unknown as TypedDocumentString<ConsoleAuditActionsQuery, ConsoleAuditActionsQueryVariables>;
export const ConsoleAuditChainDocument = new TypedDocumentString(`
    query ConsoleAuditChain {
  auditChain {
    ok
    events
    brokenAtSeq
    reason
  }
}
    `) as unknown as TypedDocumentString<ConsoleAuditChainQuery, ConsoleAuditChainQueryVariables>;
export const ConsoleWebhooksDocument = new TypedDocumentString(`
    query ConsoleWebhooks($after: String) {
  webhookEventTypes
  webhookEndpoints(after: $after, first: 50) {
    nodes {
      ...ConsoleWebhookEndpoint
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment ConsoleWebhookEndpoint on WebhookEndpoint {
  id
  url
  events
  description
  disabled
  tmCreate
  tmDisable
}`) as unknown as TypedDocumentString<ConsoleWebhooksQuery, ConsoleWebhooksQueryVariables>;
export const ConsoleWebhookDeliveriesDocument = new TypedDocumentString(`
    query ConsoleWebhookDeliveries($endpointId: ID!, $after: String) {
  webhookEndpoint(id: $endpointId) {
    ...ConsoleWebhookEndpoint
  }
  webhookDeliveries(endpointId: $endpointId, after: $after, first: 50) {
    nodes {
      ...ConsoleWebhookDelivery
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment ConsoleWebhookEndpoint on WebhookEndpoint {
  id
  url
  events
  description
  disabled
  tmCreate
  tmDisable
}
fragment ConsoleWebhookDelivery on WebhookDelivery {
  id
  eventType
  status
  attempts
  lastStatusCode
  lastError
  tmCreate
  tmNextAttempt
  tmDelivered
}`) as unknown as TypedDocumentString<ConsoleWebhookDeliveriesQuery, ConsoleWebhookDeliveriesQueryVariables>;
export const ConsoleCreateWebhookDocument = new TypedDocumentString(`
    mutation ConsoleCreateWebhook($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    secret
    endpoint {
      ...ConsoleWebhookEndpoint
    }
  }
}
    fragment ConsoleWebhookEndpoint on WebhookEndpoint {
  id
  url
  events
  description
  disabled
  tmCreate
  tmDisable
}`) as unknown as TypedDocumentString<ConsoleCreateWebhookMutation, ConsoleCreateWebhookMutationVariables>;
export const ConsoleDeleteWebhookDocument = new TypedDocumentString(`
    mutation ConsoleDeleteWebhook($id: ID!) {
  deleteWebhookEndpoint(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<ConsoleDeleteWebhookMutation, ConsoleDeleteWebhookMutationVariables>;
export const ConsoleSendTestWebhookDocument = new TypedDocumentString(`
    mutation ConsoleSendTestWebhook($id: ID!) {
  sendTestWebhook(id: $id) {
    ...ConsoleWebhookDelivery
  }
}
    fragment ConsoleWebhookDelivery on WebhookDelivery {
  id
  eventType
  status
  attempts
  lastStatusCode
  lastError
  tmCreate
  tmNextAttempt
  tmDelivered
}`) as unknown as TypedDocumentString<ConsoleSendTestWebhookMutation, ConsoleSendTestWebhookMutationVariables>;
export const ConsoleRedeliverWebhookDocument = new TypedDocumentString(`
    mutation ConsoleRedeliverWebhook($deliveryId: ID!) {
  redeliverWebhook(deliveryId: $deliveryId) {
    ...ConsoleWebhookDelivery
  }
}
    fragment ConsoleWebhookDelivery on WebhookDelivery {
  id
  eventType
  status
  attempts
  lastStatusCode
  lastError
  tmCreate
  tmNextAttempt
  tmDelivered
}`) as unknown as TypedDocumentString<ConsoleRedeliverWebhookMutation, ConsoleRedeliverWebhookMutationVariables>;