import { CreateCustomersAndAccesskeys1764460800000 } from './1764460800000-CreateCustomersAndAccesskeys';
import { CreateAgents1764547200000 } from './1764547200000-CreateAgents';
import { AddAgentSessionGeneration1764633600000 } from './1764633600000-AddAgentSessionGeneration';
import { AgentsUsernameAsciiFold1764720000000 } from './1764720000000-AgentsUsernameAsciiFold';
import { CreateLoginFailures1764806400000 } from './1764806400000-CreateLoginFailures';
import { AddAccesskeyLifecycle1764892800000 } from './1764892800000-AddAccesskeyLifecycle';
import { AddAccesskeyLastUsed1764979200000 } from './1764979200000-AddAccesskeyLastUsed';
import { AddAccesskeyScopes1765065600000 } from './1765065600000-AddAccesskeyScopes';
import { CreateAuditEvents1765152000000 } from './1765152000000-CreateAuditEvents';
import { AddAccesskeyLeak1765238400000 } from './1765238400000-AddAccesskeyLeak';
import { AddAccesskeyCanary1765324800000 } from './1765324800000-AddAccesskeyCanary';
import { CreateLeakReportReceipts1765411800000 } from './1765411800000-CreateLeakReportReceipts';
import { CreateWebhooks1766000000000 } from './1766000000000-CreateWebhooks';
import { AddAccesskeyPolicy1766100000000 } from './1766100000000-AddAccesskeyPolicy';
import { OneSuccessorPerKey1766150000000 } from './1766150000000-OneSuccessorPerKey';
import { AddAuditChainPrevHash1766300000000 } from './1766300000000-AddAuditChainPrevHash';

/** Every migration, oldest first. Listed explicitly so `tsc` output and ts-jest load the same set. */
export const migrations = [
  CreateCustomersAndAccesskeys1764460800000,
  CreateAgents1764547200000,
  AddAgentSessionGeneration1764633600000,
  AgentsUsernameAsciiFold1764720000000,
  CreateLoginFailures1764806400000,
  AddAccesskeyLifecycle1764892800000,
  AddAccesskeyLastUsed1764979200000,
  AddAccesskeyScopes1765065600000,
  CreateAuditEvents1765152000000,
  AddAccesskeyLeak1765238400000,
  AddAccesskeyCanary1765324800000,
  CreateLeakReportReceipts1765411800000,
  CreateWebhooks1766000000000,
  AddAccesskeyPolicy1766100000000,
  OneSuccessorPerKey1766150000000,
  AddAuditChainPrevHash1766300000000,
];
