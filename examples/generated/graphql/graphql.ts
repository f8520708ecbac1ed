/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
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

export type ListAccesskeysQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ListAccesskeysQuery = { __typename?: 'Query', accesskeys: { __typename?: 'AccesskeyConnection', nodes: Array<{ __typename?: 'Accesskey', id: string, name: string, tokenPrefix: string, tmExpire: string }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type GetAccesskeyQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetAccesskeyQuery = { __typename?: 'Query', accesskey?: { __typename?: 'Accesskey', id: string, name: string, detail: string, tmCreate: string, tmDelete?: string | null } | null };

export type CreateAccesskeyMutationVariables = Exact<{
  input: CreateAccesskeyInput;
}>;


export type CreateAccesskeyMutation = { __typename?: 'Mutation', createAccesskey: { __typename?: 'CreateAccesskeyPayload', token: string, accesskey: { __typename?: 'Accesskey', id: string, name: string, tokenPrefix: string, tmExpire: string } } };

export type RenameAccesskeyMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
}>;


export type RenameAccesskeyMutation = { __typename?: 'Mutation', updateAccesskey: { __typename?: 'Accesskey', id: string, name: string, tmUpdate: string } };

export type DeleteAccesskeyMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteAccesskeyMutation = { __typename?: 'Mutation', deleteAccesskey: { __typename?: 'Accesskey', id: string, tmDelete?: string | null } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { __typename?: 'Query', me: { __typename?: 'Me', kind: CallerKind, customerId: string, permissions: Array<string> } };


export const ListAccesskeysDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListAccesskeys"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accesskeys"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tokenPrefix"}},{"kind":"Field","name":{"kind":"Name","value":"tmExpire"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<ListAccesskeysQuery, ListAccesskeysQueryVariables>;
export const GetAccesskeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GetAccesskey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accesskey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"tmCreate"}},{"kind":"Field","name":{"kind":"Name","value":"tmDelete"}}]}}]}}]} as unknown as DocumentNode<GetAccesskeyQuery, GetAccesskeyQueryVariables>;
export const CreateAccesskeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateAccesskey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateAccesskeyInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAccesskey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"accesskey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tokenPrefix"}},{"kind":"Field","name":{"kind":"Name","value":"tmExpire"}}]}}]}}]}}]} as unknown as DocumentNode<CreateAccesskeyMutation, CreateAccesskeyMutationVariables>;
export const RenameAccesskeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RenameAccesskey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateAccesskey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tmUpdate"}}]}}]}}]} as unknown as DocumentNode<RenameAccesskeyMutation, RenameAccesskeyMutationVariables>;
export const DeleteAccesskeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteAccesskey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteAccesskey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tmDelete"}}]}}]}}]} as unknown as DocumentNode<DeleteAccesskeyMutation, DeleteAccesskeyMutationVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"permissions"}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;