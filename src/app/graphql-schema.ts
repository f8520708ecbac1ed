import type { GraphQLSchema } from 'graphql';
import { printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { AuthChecker, ContainerType } from 'type-graphql';
import { AccesskeyResolver } from '../accesskeys/accesskey.resolver';
import { AccesskeyPolicyResolver } from '../accesskeys/accesskey-policy.resolver';
import type { AccesskeyPolicyService } from '../accesskeys/accesskey-policy.service';
import { AuditResolver } from '../audit/audit.resolver';
import type { AuditLog } from '../audit/audit.log';
import { MeResolver } from '../auth/me.resolver';
import { authorize } from '../auth/permissions';
import type { Action } from '../scopes';
import type { AccesskeyService } from '../accesskeys/accesskey.service';
import { VerifyResolver } from '../verification/verify.resolver';
import type { VerifyService } from '../verification/verify.service';
import { assertValid } from '../validation';
import { WebhookResolver } from '../webhooks/webhook.resolver';
import type { WebhookService } from '../webhooks/webhook.service';
import type { GraphQLContext } from '../graphql/context';

export interface SchemaServices {
  readonly accesskeys: AccesskeyService;
  readonly audit: AuditLog;
  readonly verify: VerifyService;
  /** Absent where the schema is only printed (schema:emit). */
  readonly webhooks?: WebhookService;
  readonly accesskeyPolicy: AccesskeyPolicyService;
}

/**
 * `@Authorized()` means "valid credentials" (else `UNAUTHENTICATED`);
 * `@Authorized('action')` also applies the permission rule REST uses (else `FORBIDDEN`).
 */
const authChecker: AuthChecker<GraphQLContext, Action> = async ({ context }, actions) => {
  const caller = await context.authenticate();
  for (const action of actions) authorize(caller, action);
  return true;
};

/** Builds the schema; resolvers get their services from `services`. */
export async function buildAppSchema(services: SchemaServices): Promise<GraphQLSchema> {
  const instances = new Map<Function, unknown>([
    [AccesskeyResolver, new AccesskeyResolver(services.accesskeys)],
    [MeResolver, new MeResolver()],
    [VerifyResolver, new VerifyResolver(services.verify)],
    [AuditResolver, new AuditResolver(services.audit)],
    [WebhookResolver, new WebhookResolver(services.webhooks ?? ({} as WebhookService))],
    [AccesskeyPolicyResolver, new AccesskeyPolicyResolver(services.accesskeyPolicy)],
  ]);
  const container: ContainerType = {
    get(cls: Function) {
      const instance = instances.get(cls);
      if (!instance) throw new Error(`no instance registered for ${cls.name}`);
      return instance;
    },
  };
  return buildSchema({
    resolvers: [AccesskeyResolver, MeResolver, VerifyResolver, AuditResolver, WebhookResolver, AccesskeyPolicyResolver],
    container,
    authChecker,
    // The same class-validator rules the REST layer applies, through the same function.
    validateFn: async (value) => {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) await assertValid(value);
    },
  });
}

/** The text of `schema.graphql`. */
export function printSchemaFile(schema: GraphQLSchema): string {
  return `# Generated from the code by \`npm run schema:emit\`; do not edit by hand.\n\n${printSchema(schema)}\n`;
}
